import AmigoAWS
import AmigoTestSupport
import Foundation
import Synchronization
import Testing

let credentialJSON = #"{"Code": "Success", "AccessKeyId": "AKIDMETA", "SecretAccessKey": "meta-secret", "Token": "meta-token", "Expiration": "2099-01-01T00:00:00Z"}"#

struct MetadataCredentialTests {
    @Test func containerCredentialsWithTokenFile() async throws {
        let server = try LoopbackHTTPServer.start(routes: [
            "GET /creds": .init(body: credentialJSON, require: ["Authorization": "Bearer abc"]),
        ])
        let home = try AWSHome()
        let tokenFile = home.dir.appendingPathComponent("token")
        try "Bearer abc\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let env = home.env(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url.absoluteString + "/creds",
                            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile.path])
        let c = try await CredentialChain.resolve(profile: nil, environment: env, client: offline).credentials()
        #expect(c.accessKeyId == "AKIDMETA" && c.sessionToken == "meta-token")

        let wrong = home.env(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url.absoluteString + "/creds",
                              "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer nope"])
        let error = await #expect(throws: CredentialError.self) {
            try await CredentialChain.resolve(profile: nil, environment: wrong, client: offline)
        }
        #expect(error?.description.contains("container credentials") == true)
        #expect(error?.description.contains("401") == true)
    }

    @Test func instanceMetadataV2UsesASessionToken() async throws {
        let token = ["X-aws-ec2-metadata-token": "imds-session"]
        let server = try LoopbackHTTPServer.start(routes: [
            "PUT /latest/api/token": .init(body: "imds-session", require: ["X-aws-ec2-metadata-token-ttl-seconds": "21600"]),
            "GET /latest/meta-data/iam/security-credentials/": .init(body: "scanner-role\n", require: token),
            "GET /latest/meta-data/iam/security-credentials/scanner-role": .init(body: credentialJSON, require: token),
        ])
        let home = try AWSHome()
        var env = home.env(["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url.absoluteString + "/"])
        env["AWS_EC2_METADATA_DISABLED"] = nil
        let c = try await CredentialChain.resolve(profile: nil, environment: env, client: offline).credentials()
        #expect(c.accessKeyId == "AKIDMETA")
        #expect(c.expiration == Date(timeIntervalSince1970: 4_070_908_800))
    }

    @Test func profileCanSourceARoleFromInstanceMetadataSettings() async throws {
        let home = try AWSHome(config: "[profile r]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Ec2InstanceMetadata\n")
        let error = await #expect(throws: CredentialError.self) {
            try await CredentialChain.resolve(profile: "r", environment: home.env(), client: offline)
        }
        #expect(error?.reason.contains("AWS_EC2_METADATA_DISABLED") == true)
    }
}

struct RefreshingCredentialProviderTests {
    final class Clock: Sendable {
        let value = Mutex(Date(timeIntervalSince1970: 1_000_000))
        func advance(_ s: Double) { value.withLock { $0 += s } }
        var now: Date { value.withLock { $0 } }
    }

    @Test func refreshesFiveMinutesBeforeExpiryWithOneFetchForManyCallers() async throws {
        let clock = Clock()
        let fetches = Mutex(0)
        let provider = RefreshingCredentialProvider(now: { clock.now }) {
            let n = fetches.withLock { $0 += 1; return $0 }
            try await Task.sleep(nanoseconds: 20_000_000)
            return Credentials(accessKeyId: "AKID\(n)", secretAccessKey: "s", expiration: clock.now.addingTimeInterval(3600))
        }
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await provider.credentials().accessKeyId } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids == ["AKID1"])
        clock.advance(3600 - 301)
        #expect(try await provider.credentials().accessKeyId == "AKID1")
        clock.advance(2)
        #expect(try await provider.credentials().accessKeyId == "AKID2")
        #expect(fetches.withLock { $0 } == 2)
    }
}
