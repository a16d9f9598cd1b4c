import AmigoAWS
import Foundation

/// Which server-side bucket a signed request draws from, read from the request itself so
/// that retries and credential refreshes (AssumeRole inside a credential provider) are
/// metered too. AWS meters per account; a request names its access key, and amigo uses one
/// key per account at a time, so the key stands for the account.
struct BucketKey: Sendable, Hashable {
    var accessKeyId: Substring
    var region: Substring
    var service: Substring
    var action: Substring

    /// nil for a request that is not SigV4-signed or names no action.
    init?(_ request: HTTPRequest) {
        guard let authorization = request.headers["Authorization"] ?? request.headers["authorization"],
              let start = authorization.range(of: "Credential=") else { return nil }
        let scope = authorization[start.upperBound...].prefix { $0 != "," && $0 != " " }
        let parts = scope.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, !parts[0].isEmpty else { return nil }
        guard let action = Self.action(request) else { return nil }
        accessKeyId = parts[0]; region = parts[2]; service = parts[3]; self.action = action
    }

    /// JSON protocols name the action in `X-Amz-Target` (`Prefix.Action`); Query protocols
    /// in the form body's `Action` field.
    static func action(_ request: HTTPRequest) -> Substring? {
        if let target = request.headers["X-Amz-Target"] ?? request.headers["x-amz-target"] {
            guard let dot = target.lastIndex(of: ".") else { return nil }
            return target[target.index(after: dot)...]
        }
        let form = String(decoding: request.body.prefix(256), as: UTF8.self)
        for field in form.split(separator: "&") where field.hasPrefix("Action=") {
            return Substring(field.dropFirst("Action=".count))
        }
        return nil
    }
}
