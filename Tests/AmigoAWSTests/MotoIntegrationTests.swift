import AmigoAWS
import AmigoTestSupport
import Foundation
import Testing

/// One moto for the suite: it takes a second or two to start.
let sharedMoto = Result { try MotoServer.start() }
/// Its endpoint; whoever asks first waits for the start off the cooperative pool, so the
/// timing tests beside it (CallDeadlineTests) keep their threads.
func sharedMotoEndpoint() async throws -> URL { try await offPool { try sharedMoto.get().endpoint } }
let anyKeys = StaticCredentialProvider(Credentials(accessKeyId: "AKIDMOTOEXAMPLE", secretAccessKey: "moto-secret"))

/// Not deadline tests (CallDeadlineTests are): a loaded test host can keep a task from running for minutes.
func motoClient(_ endpoint: URL, retry: RetryPolicy = RetryPolicy(deadline: 600), stats: RequestStats = RequestStats()) -> AWSClient {
    AWSClient(transport: CurlTransport(timeout: 20), endpoints: Endpoints(override: endpoint), retry: retry, stats: stats)
}

@Suite(.serialized) struct MotoIntegrationTests {
    @Test func getCallerIdentityNamesMotosDefaultAccount() async throws {
        let client = motoClient(try await sharedMotoEndpoint())
        let root = try await client.query(AWSAction(.sts, "GetCallerIdentity")!, region: "us-east-1", credentials: anyKeys)
        #expect(root.at("GetCallerIdentityResult", "Account")?.text == "123456789012")
    }

    @Test func assumedRoleActsInTheOtherAccount() async throws {
        let client = motoClient(try await sharedMotoEndpoint())
        let role = AssumeRoleCredentialProvider(client: client, roleArn: "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole",
                                                sessionName: "amigo-test", externalId: "ext-1", durationSeconds: 900,
                                                source: anyKeys, region: "us-east-1")
        let assumed = try await role.credentials()
        #expect(assumed.accessKeyId != "AKIDMOTOEXAMPLE" && assumed.sessionToken != nil && assumed.expiration != nil)
        let who = try await client.query(AWSAction(.sts, "GetCallerIdentity")!, region: "us-east-1", credentials: role)
        #expect(who.at("GetCallerIdentityResult", "Account")?.text == "210987654321")
        let regions = try await client.query(AWSAction(.ec2, "DescribeRegions")!, region: "eu-west-1",
                                             parameters: [("AllRegions", "true")], credentials: role)
        let names = regions.items("regionInfo").compactMap { $0.string("regionName") }
        #expect(names.contains("eu-west-1") && names.count > 20)
    }

    @Test func invalidCallSurfacesAWSErrorCode() async throws {
        let stats = RequestStats()
        let client = motoClient(try await sharedMotoEndpoint(), retry: RetryPolicy(baseDelay: 0.001, maxDelay: 0.01), stats: stats)
        let error = await #expect(throws: AWSError.self) {
            try await client.query(AWSAction(.ec2, "DescribeSnapshots")!, region: "us-east-1",
                                   parameters: [("SnapshotId.1", "snap-00000000000000000")], credentials: anyKeys)
        }
        #expect(error?.code == "InvalidSnapshot.NotFound")
        #expect(error?.status == 400 && error?.isRetryable == false)
        #expect(stats.snapshot.retries == 0)
    }

    @Test func twoHundredCallsThroughTwentyPercentFaultsAllSucceed() async throws {
        let proxy = try FaultProxy.start(upstream: try await sharedMotoEndpoint(), rate: 0.2, seed: 7)
        let stats = RequestStats()
        let client = motoClient(proxy.endpoint, retry: RetryPolicy(maxAttempts: 10, baseDelay: 0.001, maxDelay: 0.01), stats: stats)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<200 {
                group.addTask {
                    let r = try await client.query(AWSAction(.ec2, "DescribeRegions")!, region: "us-east-1", credentials: anyKeys)
                    return r.items("regionInfo").count
                }
                if i >= 8 { _ = try await group.next() }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts.allSatisfy { $0 > 0 })
        let s = stats.snapshot
        #expect(s.failures == 0)
        #expect(s.retries > 10 && s.throttled > 0)
        #expect(s.requests == 200 + s.retries)
    }

    @Test func persistentlyTruncatedBodiesEndAsMalformedResponse() async throws {
        let proxy = try FaultProxy.start(upstream: try await sharedMotoEndpoint(), rate: 1, faults: [.truncate])
        let stats = RequestStats()
        let client = motoClient(proxy.endpoint, retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01), stats: stats)
        let error = await #expect(throws: AWSError.self) {
            try await client.query(AWSAction(.ec2, "DescribeRegions")!, region: "us-east-1", credentials: anyKeys)
        }
        #expect(error?.code == "MalformedResponse")
        #expect(stats.snapshot.retries == 2 && stats.snapshot.requests == 3)
    }
}

/// moto verifying signatures after its first few (unauthenticated) requests.
struct MotoAuthenticationTests {
    func iam(_ endpoint: URL, _ params: [(String, String)]) async throws -> XMLNode {
        let form = QueryForm.encode([("Version", "2010-05-08")] + params)
        var request = HTTPRequest(url: endpoint, headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
                                  body: Data(form.utf8))
        SigV4.sign(&request, credentials: anyKeys.value, region: "us-east-1", service: "iam", date: Date())
        let response = try await CurlTransport().send(request)
        #expect(response.status == 200)
        return try XMLDocument.parse(response.body)
    }

    @Test func wrongSecretIsRejectedOnceAuthIsOn() async throws {
        let moto = try await offPool { try MotoServer.start(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "3"]) }
        _ = try await iam(moto.endpoint, [("Action", "CreateUser"), ("UserName", "scanner")])
        let key = try await iam(moto.endpoint, [("Action", "CreateAccessKey"), ("UserName", "scanner")])
        _ = try await iam(moto.endpoint, [("Action", "PutUserPolicy"), ("UserName", "scanner"), ("PolicyName", "all"),
            ("PolicyDocument", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)])
        let access = try #require(key.at("CreateAccessKeyResult", "AccessKey"))
        let id = try #require(access.string("AccessKeyId")), secret = try #require(access.string("SecretAccessKey"))

        let client = motoClient(moto.endpoint)
        let good = StaticCredentialProvider(Credentials(accessKeyId: id, secretAccessKey: secret))
        let regions = try await client.query(AWSAction(.ec2, "DescribeRegions")!, region: "us-east-1", credentials: good)
        #expect(!regions.items("regionInfo").isEmpty)

        let bad = StaticCredentialProvider(Credentials(accessKeyId: id, secretAccessKey: secret + "x"))
        let error = await #expect(throws: AWSError.self) {
            try await client.query(AWSAction(.ec2, "DescribeRegions")!, region: "us-east-1", credentials: bad)
        }
        #expect([401, 403].contains(error?.status ?? 0))
        #expect(error?.isRetryable == false)
        #expect(error.map { !$0.description.contains(secret) } == true)
    }
}
