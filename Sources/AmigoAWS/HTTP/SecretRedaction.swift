import Foundation

/// What a recording must never hold: the secret half of any credential an answer carries
/// (STS `AssumeRole*`/`GetSessionToken` bodies, container and SSO credential JSON). Replay
/// needs only the access key id, which the credential scope of each replayed request names.
/// A body that still looks like it holds a secret after redaction is refused, not written.
enum SecretRedaction {
    static let placeholder = "REDACTED"
    /// Element names (XML) and keys (JSON, compared case-insensitively) whose values are secret.
    static let xmlElements = ["SecretAccessKey", "SessionToken"]
    static let jsonKeys: Set<String> = ["secretaccesskey", "sessiontoken", "token"]
    /// Query parameters that are credentials themselves (they reach a recording's index keys).
    static let parameters: Set<String> = ["WebIdentityToken", "SAMLAssertion", "TokenCode"]

    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    private static let element = try! NSRegularExpression(
        pattern: "<((?:\\w+:)?(?:SecretAccessKey|SessionToken))(\\s[^>]*)?>(.*?)</\\1\\s*>",
        options: [.dotMatchesLineSeparators])
    private static let opening = try! NSRegularExpression(
        pattern: "<(?:\\w+:)?(?:SecretAccessKey|SessionToken)(?:\\s[^>]*)?(?<!/)>(?!\(placeholder)</)")

    static func redacting(_ body: Data) throws(Refused) -> Data {
        var text = String(decoding: body, as: UTF8.self)
        let lowered = text.lowercased()
        guard jsonKeys.contains(where: lowered.contains) else { return body }
        var changed = false
        if text.contains("SecretAccessKey") || text.contains("SessionToken") {
            let range = NSRange(text.startIndex..., in: text)
            let redacted = element.stringByReplacingMatches(in: text, range: range,
                                                            withTemplate: "<$1$2>\(placeholder)</$1>")
            if redacted != text { text = redacted; changed = true }
            if opening.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
                throw Refused(description: "an XML answer holds a credential element that could not be redacted")
            }
        }
        if let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[" {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
                throw Refused(description: "a JSON answer that may hold a credential does not parse, so it cannot be redacted")
            }
            let (clean, redactedAny) = redactingJSON(object)
            if redactedAny {
                guard let data = try? JSONSerialization.data(withJSONObject: clean, options: [.sortedKeys, .withoutEscapingSlashes]) else {
                    throw Refused(description: "a redacted JSON answer could not be written")
                }
                return data
            }
        }
        return changed ? Data(text.utf8) : body
    }

    private static func redactingJSON(_ value: Any) -> (Any, Bool) {
        if let object = value as? [String: Any] {
            var out: [String: Any] = [:]
            var any = false
            for (key, inner) in object {
                if jsonKeys.contains(key.lowercased()), inner is String {
                    out[key] = placeholder
                    any = true
                } else {
                    let (clean, redacted) = redactingJSON(inner)
                    out[key] = clean
                    any = any || redacted
                }
            }
            return (out, any)
        }
        if let array = value as? [Any] {
            var any = false
            let clean = array.map { inner -> Any in
                let (c, r) = redactingJSON(inner)
                any = any || r
                return c
            }
            return (clean, any)
        }
        return (value, false)
    }
}
