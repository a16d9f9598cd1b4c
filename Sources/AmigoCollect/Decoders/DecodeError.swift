import AmigoAWS
import AmigoCore
import Foundation

/// A response that parsed as XML/JSON but does not have the shape the operation promises.
/// The collector records it as a scan error, so the region is never mistaken for empty.
public struct DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    public var message: String
    public init(operation: String, message: String) {
        self.operation = operation; self.message = message
    }
    public var description: String { "\(operation): \(message)" }
}

/// Field readers that turn a missing or malformed value into a `DecodeError` naming the
/// operation, so each decoder reads as a list of fields.
///
/// Every scalar is read by `XMLNode.string`, the one place that decides what absent means: an
/// empty or whitespace-only element is absent, for every type. Only a value that is there and
/// wrong is malformed.
struct FieldReader {
    let operation: String

    func fail(_ message: String) -> DecodeError { DecodeError(operation: operation, message: message) }

    /// Checks the root element, so a body from another operation is not decoded as empty.
    func expectRoot(_ root: XMLNode) throws(DecodeError) {
        guard root.name == "\(operation)Response" else {
            throw fail("unexpected root element <\(UntrustedText.quoted(root.name))>, expected <\(operation)Response>")
        }
    }

    /// The child's text as AWS sent it (names keep their spaces); typed readers trim it.
    func string(_ node: XMLNode, _ name: String) -> String? { node.string(name) }

    func required(_ node: XMLNode, _ name: String, _ what: String) throws(DecodeError) -> String {
        guard let value = string(node, name) else { throw fail("\(what) has no \(name)") }
        return value
    }

    /// A value AWS sent that does not parse, quoted so it cannot forge log lines.
    func malformed(_ what: String, _ name: String, _ value: String, expected: String) -> DecodeError {
        fail("\(what) has \(name) \(UntrustedText.quoted(value)), expected \(expected)")
    }

    func bool(_ node: XMLNode, _ name: String, _ what: String) throws(DecodeError) -> Bool? {
        guard let text = string(node, name) else { return nil }
        switch text.trimmedWhitespace() {
        case "true": return true
        case "false": return false
        default: throw malformed(what, name, text, expected: "true or false")
        }
    }

    func requiredBool(_ node: XMLNode, _ name: String, _ what: String) throws(DecodeError) -> Bool {
        guard let value = try bool(node, name, what) else { throw fail("\(what) has no \(name)") }
        return value
    }

    func int(_ node: XMLNode, _ name: String, _ what: String) throws(DecodeError) -> Int? {
        guard let text = string(node, name) else { return nil }
        guard let value = Int(text.trimmedWhitespace()) else {
            throw malformed(what, name, text, expected: "an integer")
        }
        return value
    }

    func date(_ node: XMLNode, _ name: String, _ what: String) throws(DecodeError) -> Date? {
        guard let text = string(node, name) else { return nil }
        guard let value = AWSTimestamp.parse(text) else {
            throw malformed(what, name, text, expected: "an ISO 8601 timestamp")
        }
        return value
    }

    func nextToken(_ node: XMLNode) -> String? { string(node, "nextToken") }
}

/// The same rule for Organizations' JSON: a key that is missing, null, or an empty or
/// whitespace-only string is absent; a value of the wrong type is malformed.
struct JSONFieldReader {
    let operation: String

    func fail(_ message: String) -> DecodeError { DecodeError(operation: operation, message: message) }

    func string(_ object: [String: Any], _ key: String, _ what: String) throws(DecodeError) -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard var text = value as? String else {
            throw fail("\(what) has \(key) \(UntrustedText.quoted(String(describing: value))), expected a string")
        }
        // JSON can carry U+0000, which the catalogue cannot hold: SQLite text is read back only
        // up to it, so "prod\0-evil" would be reported as "prod". Kept visible instead.
        if text.utf8.contains(0) { text = text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") }
        return text.contains(where: { !$0.isWhitespace }) ? text : nil
    }

    func required(_ object: [String: Any], _ key: String, _ what: String) throws(DecodeError) -> String {
        guard let value = try string(object, key, what) else { throw fail("\(what) has no \(key)") }
        return value
    }

    func nextToken(_ object: [String: Any]) throws(DecodeError) -> String? {
        try string(object, "NextToken", "response")
    }
}
