import AmigoAWS
import Foundation

/// Which server-side bucket a signed request draws from, read from the request itself so
/// that retries and credential refreshes (AssumeRole inside a credential provider) are
/// metered too. AWS meters per account; a request names its access key, and amigo uses one
/// key per account at a time, so the key stands for the account. Runs once per request:
/// it reads bytes rather than building strings it does not keep.
struct BucketKey: Sendable, Hashable {
    /// `accessKeyId/region/service/action`
    let text: String
    let service: Substring
    let action: Substring

    /// nil for a request that is not SigV4-signed or names no action.
    init?(_ request: HTTPRequest) {
        guard let authorization = request.headers["Authorization"] ?? request.headers["authorization"],
              let scope = Self.credentialScope(authorization),
              let action = Self.action(request) else { return nil }
        // scope: AKID/date/region/service/aws4_request, cut at its slashes in one pass
        var cuts: [Substring.Index] = []
        cuts.reserveCapacity(4)
        var index = scope.startIndex
        while index < scope.endIndex, cuts.count < 4 {
            if scope.utf8[index] == UInt8(ascii: "/") { cuts.append(index) }
            index = scope.utf8.index(after: index)
        }
        guard cuts.count == 4, cuts[0] > scope.startIndex else { return nil }
        let accessKey = scope[..<cuts[0]]
        let region = scope[scope.utf8.index(after: cuts[1])..<cuts[2]]
        let serviceName = scope[scope.utf8.index(after: cuts[2])..<cuts[3]]
        text = "\(accessKey)/\(region)/\(serviceName)/\(action)"
        let serviceStart = text.utf8.index(text.startIndex, offsetBy: accessKey.utf8.count + region.utf8.count + 2)
        let serviceEnd = text.utf8.index(serviceStart, offsetBy: serviceName.utf8.count)
        service = text[serviceStart..<serviceEnd]
        self.action = text[text.utf8.index(after: serviceEnd)...]
    }

    static func == (a: BucketKey, b: BucketKey) -> Bool { a.text == b.text }
    func hash(into hasher: inout Hasher) { hasher.combine(text) }

    var accessKeyId: Substring { text.prefix { $0 != "/" } }
    var region: Substring { text.split(separator: "/", maxSplits: 2)[1] }

    private static func credentialScope(_ authorization: String) -> Substring? {
        let signed = "AWS4-HMAC-SHA256 Credential="
        let rest: Substring
        if authorization.hasPrefix(signed) {
            rest = authorization.dropFirst(signed.count)
        } else if let start = authorization.range(of: "Credential=") {
            rest = authorization[start.upperBound...]
        } else {
            return nil
        }
        return rest.prefix { $0 != "," && $0 != " " }
    }

    /// JSON protocols name the action in `X-Amz-Target` (`Prefix.Action`); Query protocols
    /// in the form body's `Action` field.
    static func action(_ request: HTTPRequest) -> Substring? {
        if let target = request.headers["X-Amz-Target"] ?? request.headers["x-amz-target"] {
            guard let dot = target.lastIndex(of: ".") else { return nil }
            return target[target.index(after: dot)...]
        }
        return request.body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Substring? in
            let bytes = raw.bindMemory(to: UInt8.self)
            let name = Array("Action=".utf8)
            var fieldStart = 0
            while fieldStart < bytes.count {
                var fieldEnd = fieldStart
                while fieldEnd < bytes.count && bytes[fieldEnd] != UInt8(ascii: "&") { fieldEnd += 1 }
                if fieldEnd - fieldStart > name.count,
                   bytes[fieldStart..<fieldStart + name.count].elementsEqual(name) {
                    let value = UnsafeBufferPointer(rebasing: bytes[(fieldStart + name.count)..<fieldEnd])
                    return Substring(String(decoding: value, as: UTF8.self))
                }
                fieldStart = fieldEnd + 1
            }
            return nil
        }
    }
}
