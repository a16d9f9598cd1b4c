import Foundation

public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: URL
    /// Header names are kept as given; SigV4 lower-cases them when signing.
    public var headers: [String: String]
    public var body: Data
    public init(method: String = "POST", url: URL, headers: [String: String] = [:], body: Data = Data()) {
        self.method = method; self.url = url; self.headers = headers; self.body = body
    }
}

public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Lower-cased header names. A live response keeps its header lines as bytes and reads
    /// them only here, so the transport's thread never builds a `String` per header.
    public var headers: [String: String] {
        get { headerBlock.fields }
        set { headerBlock = .fields(newValue) }
    }
    public var body: Data
    /// When the transport had the whole answer, in seconds on `HTTPResponse.uptime`'s clock;
    /// nil when it did not say (a replayed or hand-made response). Not part of equality.
    ///
    /// The task that asked may run much later when every thread is busy, so this, not the
    /// moment the task resumes, is when the exchange ended (what the pacer anchors its
    /// refill to).
    public var receivedAt: Double?
    private var headerBlock: HTTPHeaderBlock
    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status; self.headerBlock = .fields(headers); self.body = body
    }
    /// `headerLines`: the header lines as received, each ending in CRLF, status line excluded.
    init(status: Int, headerLines: [UInt8], body: Data, receivedAt: Double) {
        self.status = status; self.headerBlock = .lines(headerLines); self.body = body
        self.receivedAt = receivedAt
    }

    /// Seconds since boot on a clock that never jumps (`receivedAt`'s).
    public static func uptime() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    public static func == (a: HTTPResponse, b: HTTPResponse) -> Bool {
        a.status == b.status && a.body == b.body && a.headers == b.headers
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(status); hasher.combine(body); hasher.combine(headers)
    }
}

/// Response headers either as given or as the raw lines a transport received.
enum HTTPHeaderBlock: Sendable {
    case fields([String: String])
    case lines([UInt8])

    var fields: [String: String] {
        switch self {
        case .fields(let fields): return fields
        case .lines(let bytes):
            var fields: [String: String] = [:]
            for line in bytes.split(separator: UInt8(ascii: "\n")) {
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
                let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
                let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if let existing = fields[name] { fields[name] = existing + ", " + value } else { fields[name] = value }
            }
            return fields
        }
    }
}

/// Sends a signed request and returns what the server said, whatever its status. Errors are
/// only for exchanges that produced no response (connection refused, timeout, reset).
/// Implementations: live (libcurl), replay (recorded fixtures), recording (wraps another).
public protocol Transport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// A request that produced no HTTP response.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable { case connect, timeout, reset, tls, other }
    public var kind: Kind
    public var url: String
    public var detail: String
    public init(kind: Kind, url: String, detail: String) {
        self.kind = kind; self.url = url; self.detail = detail
    }
    public var description: String { "\(kind.rawValue) error for \(url): \(detail)" }
}
