import Foundation

/// Recorded exchanges on disk: `index.json` maps a request key to a response file, so the
/// demo organisation and test fixtures replay through the same code as live AWS.
///
/// A key is `service region accessKeyId request`, where `request` is the Query form
/// parameters without `Version`, sorted, as `k=v` joined by `&` (values decoded), or for
/// JSON 1.1 `target=<X-Amz-Target>&body=<JSON with sorted keys>`. Service, region and key id
/// come from the SigV4 credential scope, so an AssumeRole'd account replays its own answers.
public enum FixtureKey {
    public static func key(for request: HTTPRequest) -> String {
        let scope = SigV4.credentialScope(of: request)
        let head = "\(scope?.service ?? "?") \(scope?.region ?? "?") \(scope?.accessKeyId ?? "?")"
        if let target = request.headers["X-Amz-Target"] {
            let object = (try? JSONSerialization.jsonObject(with: request.body)) ?? [String: Any]()
            let canonical = (try? JSONSerialization.data(withJSONObject: object,
                                                         options: [.sortedKeys, .withoutEscapingSlashes]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return "\(head) target=\(target)&body=\(canonical)"
        }
        let form = String(decoding: request.body, as: UTF8.self)
        let pairs = form.split(separator: "&").compactMap { item -> (String, String)? in
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let k = String(kv[0]).removingPercentEncoding ?? String(kv[0])
            let v = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
            if k == "Version" { return nil }
            // Replay computes the same key, so a credential sent as a parameter need not be kept.
            return (k, SecretRedaction.parameters.contains(k) ? SecretRedaction.placeholder : v)
        }
        let sorted = pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return "\(head) " + sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}

public struct FixtureIndex: Codable, Sendable {
    public struct Exchange: Codable, Sendable {
        public var key: String
        public var status: Int
        public var file: String
        public var contentType: String?
        public init(key: String, status: Int, file: String, contentType: String? = nil) {
            self.key = key; self.status = status; self.file = file; self.contentType = contentType
        }
    }
    public var version: Int
    /// When the exchanges were captured (ISO 8601): the demo evaluates "as of" this moment.
    public var recordedAt: String?
    /// The access key id the recording scan started with (not a secret): replay signs with it
    /// so the recorded keys match. Keys of AssumeRole'd accounts come from recorded answers.
    public var baseAccessKeyId: String?
    public var exchanges: [Exchange]
    public init(version: Int = 1, recordedAt: String? = nil, baseAccessKeyId: String? = nil, exchanges: [Exchange]) {
        self.version = version; self.recordedAt = recordedAt; self.baseAccessKeyId = baseAccessKeyId
        self.exchanges = exchanges
    }
}

/// Serves recorded responses. A request nobody recorded is a transport failure naming the
/// key, so a missing fixture shows up as a scan error rather than as an empty region.
public struct ReplayTransport: Transport {
    let directory: URL
    let exchanges: [String: FixtureIndex.Exchange]
    public let recordedAt: String?
    public let baseAccessKeyId: String?

    public init(directory: URL) throws {
        self.directory = directory
        let data = try Data(contentsOf: directory.appendingPathComponent("index.json"))
        let index = try JSONDecoder().decode(FixtureIndex.self, from: data)
        var map: [String: FixtureIndex.Exchange] = [:]
        for e in index.exchanges {
            // Anyone may hand amigo a recording (a pull request's fixtures): its files stay
            // inside it, or replay could read `/dev/zero` for ever or the runner's own secrets.
            let parts = e.file.split(separator: "/", omittingEmptySubsequences: false)
            guard !e.file.isEmpty, !e.file.hasPrefix("/"), !parts.contains("..") else {
                throw TransportError(kind: .other, url: directory.path,
                                     detail: "index.json names '\(e.file)', a file outside the recording")
            }
            map[e.key] = e
        }
        exchanges = map
        recordedAt = index.recordedAt
        baseAccessKeyId = index.baseAccessKeyId
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let key = FixtureKey.key(for: request)
        guard let exchange = exchanges[key] else {
            throw TransportError(kind: .other, url: directory.path, detail: "no recorded response for '\(key)'")
        }
        let body = try Data(contentsOf: directory.appendingPathComponent(exchange.file))
        var headers = ["content-type": exchange.contentType ?? "text/xml;charset=UTF-8"]
        headers["x-amzn-requestid"] = "replay"
        return HTTPResponse(status: exchange.status, headers: headers, body: body)
    }
}
