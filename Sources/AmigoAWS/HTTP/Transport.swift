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
    /// Lower-cased header names.
    public var headers: [String: String]
    public var body: Data
    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status; self.headers = headers; self.body = body
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
