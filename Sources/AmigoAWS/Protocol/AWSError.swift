import Foundation

/// An AWS call that failed for good (after retries): what AWS said, or why nothing was said.
/// `code` is AWS's error code (`UnauthorizedOperation`, `RequestLimitExceeded`), or one of
/// amigo's: `ConnectionError`, `Timeout`, `HTTP<status>` for a body that is not an AWS error,
/// `MalformedResponse` for a body that does not parse.
public struct AWSError: Error, Sendable, Hashable, CustomStringConvertible {
    public var service: String
    public var operation: String
    public var region: String
    public var code: String
    public var message: String
    public var status: Int?
    public var requestId: String?

    public init(service: String, operation: String, region: String, code: String, message: String,
                status: Int? = nil, requestId: String? = nil) {
        self.service = service; self.operation = operation; self.region = region
        self.code = code; self.message = message; self.status = status; self.requestId = requestId
    }

    public var description: String {
        var s = "\(service):\(operation) in \(region) failed: \(code): \(message)"
        if let status { s += " (HTTP \(status))" }
        if let requestId { s += " [request \(requestId)]" }
        return s
    }

    public static let throttlingCodes: Set<String> = [
        "RequestLimitExceeded", "Throttling", "ThrottlingException", "TooManyRequestsException",
        "ThrottledException", "RequestThrottledException", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "RequestThrottled", "BandwidthLimitExceeded",
    ]
    static let transientCodes: Set<String> = [
        "InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable",
        "RequestTimeout", "RequestTimeoutException", "ConnectionError", "Timeout",
        "IDPCommunicationError",
    ]

    public var isThrottling: Bool { Self.throttlingCodes.contains(code) }

    /// Throttling, 5xx and dropped connections are retried; a truncated body (which a proxy or
    /// a reset mid-response produces) is too. Access and validation errors are not.
    public var isRetryable: Bool {
        if isThrottling || Self.transientCodes.contains(code) { return true }
        if let status, status >= 500 { return true }
        return code == "MalformedResponse"
    }
}

enum ErrorBody {
    /// EC2: `<Response><Errors><Error><Code>…`; STS and other Query services:
    /// `<ErrorResponse><Error><Code>…`.
    static func query(_ body: Data) -> (code: String, message: String, requestId: String?)? {
        guard let root = try? XMLDocument.parse(body) else { return nil }
        let error = root.at("Errors", "Error") ?? root.child("Error")
        guard let error, let code = error.string("Code") else { return nil }
        let requestId = root.string("RequestID") ?? root.string("RequestId")
        return (code, error.string("Message") ?? "", requestId)
    }

    /// JSON 1.1: `{"__type": "com.amazon…#AccessDeniedException", "message": "…"}`, or the
    /// `x-amzn-ErrorType` header.
    static func json(_ body: Data, headers: [String: String]) -> (code: String, message: String)? {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let raw = (object?["__type"] as? String) ?? headers["x-amzn-errortype"]
        guard var code = raw else { return nil }
        if let hash = code.lastIndex(of: "#") { code = String(code[code.index(after: hash)...]) }
        if let colon = code.firstIndex(of: ":") { code = String(code[..<colon]) }
        let message = (object?["message"] as? String) ?? (object?["Message"] as? String) ?? ""
        return (code, message)
    }
}
