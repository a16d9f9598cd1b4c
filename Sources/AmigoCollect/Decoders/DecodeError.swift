import AmigoAWS
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
struct FieldReader {
    let operation: String

    func fail(_ message: String) -> DecodeError { DecodeError(operation: operation, message: message) }

    /// Checks the root element, so a body from another operation is not decoded as empty.
    func expectRoot(_ root: XMLNode) throws(DecodeError) {
        guard root.name == "\(operation)Response" else {
            throw fail("unexpected root element <\(root.name)>, expected <\(operation)Response>")
        }
    }

    func required(_ node: XMLNode, _ name: String, _ what: String) throws(DecodeError) -> String {
        guard let value = node.string(name) else { throw fail("\(what) has no \(name)") }
        return value
    }

    func bool(_ node: XMLNode, _ name: String, _ what: String) throws(DecodeError) -> Bool? {
        guard let text = node.string(name) else { return nil }
        switch text.trimmingCharacters(in: .whitespacesAndNewlines) {
        case "true": return true
        case "false": return false
        default: throw fail("\(what) has \(name) '\(text)', expected true or false")
        }
    }

    func requiredBool(_ node: XMLNode, _ name: String, _ what: String) throws(DecodeError) -> Bool {
        guard let value = try bool(node, name, what) else { throw fail("\(what) has no \(name)") }
        return value
    }

    func int(_ node: XMLNode, _ name: String, _ what: String) throws(DecodeError) -> Int? {
        guard let text = node.string(name) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw fail("\(what) has \(name) '\(text)', expected an integer")
        }
        return value
    }

    func date(_ node: XMLNode, _ name: String, _ what: String) throws(DecodeError) -> Date? {
        guard let text = node.string(name) else { return nil }
        guard let value = WireDate.parse(text) else {
            throw fail("\(what) has \(name) '\(text)', expected an ISO 8601 timestamp")
        }
        return value
    }

    /// EC2 sends an absent token as a missing element, moto sometimes as an empty one.
    func nextToken(_ node: XMLNode) -> String? {
        guard let token = node.string("nextToken"), !token.isEmpty else { return nil }
        return token
    }
}
