import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Synchronization

/// An in-process stand-in for AWS: answers each request from `answer`, keeps what was asked,
/// and refuses every request past `limit`, so a collector that loops fails the test instead of
/// hanging the suite.
final class StandIn: Transport {
    struct Request: Sendable {
        var host: String
        /// The Query action or the JSON target's action.
        var action: String
        var parameters: [String: String]
    }

    let limit: Int
    private let answer: @Sendable (Request) -> HTTPResponse
    private let log = Mutex<[Request]>([])

    init(limit: Int = 50, _ answer: @escaping @Sendable (Request) -> HTTPResponse) {
        self.limit = limit; self.answer = answer
    }

    var requests: [Request] { log.withLock { $0 } }
    func count(_ action: String) -> Int { requests.filter { $0.action == action }.count }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let parsed = Self.parse(request)
        let n = log.withLock { $0.append(parsed); return $0.count }
        guard n <= limit else {
            throw TransportError(kind: .other, url: request.url.absoluteString, detail: "stand-in: more than \(limit) requests")
        }
        return answer(parsed)
    }

    static func parse(_ request: HTTPRequest) -> Request {
        let host = request.url.host ?? ""
        if let target = request.headers["X-Amz-Target"] {
            let object = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
            return Request(host: host, action: String(target.split(separator: ".").last ?? ""),
                           parameters: object.compactMapValues { $0 as? String })
        }
        var parameters: [String: String] = [:]
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            parameters[kv[0]] = kv.count > 1 ? kv[1] : ""
        }
        return Request(host: host, action: parameters["Action"] ?? "", parameters: parameters)
    }

    static func xml(_ body: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["content-type": "text/xml"], body: Data(body.utf8))
    }

    static func json(_ object: [String: Any]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["content-type": "application/x-amz-json-1.1"],
                     body: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    static func error(_ code: String) -> HTTPResponse {
        HTTPResponse(status: 400, body: Data("<Response><Errors><Error><Code>\(code)</Code><Message>stand-in</Message></Error></Errors></Response>".utf8))
    }

    static let account = "111122223333"
    static let callerIdentity = xml("<GetCallerIdentityResponse><GetCallerIdentityResult><Account>\(account)</Account><Arn>arn:aws:iam::\(account):user/a</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>")
    static func regions(_ names: [String]) -> HTTPResponse {
        xml("<DescribeRegionsResponse><regionInfo>" + names.map { "<item><regionName>\($0)</regionName></item>" }.joined()
            + "</regionInfo></DescribeRegionsResponse>")
    }
    static func images(_ items: String, next: String? = nil) -> HTTPResponse {
        xml("<DescribeImagesResponse><imagesSet>\(items)</imagesSet>\(next.map { "<nextToken>\($0)</nextToken>" } ?? "")</DescribeImagesResponse>")
    }
    static func image(_ id: String, extra: String = "") -> String {
        "<item><imageId>\(id)</imageId><imageState>available</imageState><imageOwnerId>\(account)</imageOwnerId><isPublic>false</isPublic>\(extra)</item>"
    }
}

/// Keeps everything a collection delivers.
actor RecordingSink: InventorySink {
    var batches: [RegionBatch] = []
    var coverage: [RegionCoverage] = []
    var errors: [ScanError] = []
    var accounts: [Account] = []
    func organization(_ organization: Organization?, accounts: [Account]) async throws { self.accounts = accounts }
    func region(_ batch: RegionBatch) async throws { batches.append(batch) }
    func coverage(_ coverage: RegionCoverage, errors: [ScanError]) async throws {
        self.coverage.append(coverage)
        self.errors += errors
    }
    func errors(_ errors: [ScanError]) async throws { self.errors += errors }
    /// Every scan error, those inside region batches included.
    var allErrors: [ScanError] { errors + batches.flatMap(\.errors) }
}

/// `plan`, when given, replaces the one made of `accounts`, `regions`, `needs` and `pageLimit`.
func collect(_ standIn: StandIn, accounts: AccountSelection = .caller, regions: [String]? = ["us-east-1"],
             needs: Set<DataNeed> = [.images], pageLimit: Int = CollectionPlan.defaultPageLimit,
             plan given: CollectionPlan? = nil, into sink: any InventorySink = RecordingSink()) async throws {
    let client = AWSClient(transport: standIn, retry: RetryPolicy(maxAttempts: 1))
    let plan = given ?? CollectionPlan(accounts: accounts, regions: regions, needs: needs, pacing: nil, pageLimit: pageLimit)
    let credentials = StaticCredentialProvider(Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "s"))
    try await Collector(client: client, credentials: credentials, plan: plan).run(into: sink)
}

/// The credentials an AssumeRole answer gives, read the way a scan reads them: through
/// `AssumeRoleCredentialProvider`.
func assumedCredentials(_ body: String, client: AWSClient? = nil, account: String = "111111111111",
                        source: any CredentialProvider = StaticCredentialProvider(Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "s")))
    async throws -> Credentials {
    let answer = body
    let client = client ?? AWSClient(transport: StandIn { _ in StandIn.xml(answer) }, retry: RetryPolicy(maxAttempts: 1))
    return try await AssumeRoleCredentialProvider(
        client: client, roleArn: "arn:aws:iam::\(account):role/OrganizationAccountAccessRole", sessionName: "amigo",
        externalId: nil, durationSeconds: nil, source: source, region: "us-east-1").credentials()
}
