import CXMLShim
import Foundation

/// A parsed XML element: just what AWS responses need (names, text, children), with the
/// namespace dropped. Lookups go by local name, so unknown elements are simply ignored.
public final class XMLNode: Sendable {
    public let name: String
    public let text: String
    public let children: [XMLNode]

    init(name: String, text: String, children: [XMLNode]) {
        self.name = name; self.text = text; self.children = children
    }

    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    public func all(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
    /// The text of a child element; nil when it is absent, empty or only whitespace. AWS writes
    /// a value it does not have as a missing element in new responses and as an empty one
    /// (`<creationDate/>`) in old ones: the two mean the same, for every type, everywhere.
    public func string(_ name: String) -> String? {
        guard let text = child(name)?.text, text.contains(where: { !$0.isWhitespace }) else { return nil }
        return text
    }
    /// The `<item>` children of a wrapper element (`<imagesSet><item>…`), the EC2 list shape.
    public func items(_ wrapper: String) -> [XMLNode] { child(wrapper)?.all("item") ?? [] }
    /// Follows a path of child names: `node.at("DescribeRegionsResponse", "regionInfo")`.
    public func at(_ path: String...) -> XMLNode? {
        var node: XMLNode? = self
        for p in path { node = node?.child(p) }
        return node
    }
}

public struct XMLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "malformed XML at line \(line): \(message)" }
}

public enum XMLDocument {
    /// Parses a whole document and returns its root element. Refuses DTDs and entities
    /// (XXE) and network access: AWS never sends them.
    public static func parse(_ data: Data) throws(XMLParseError) -> XMLNode {
        var line: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let parsed: UnsafeMutableRawPointer? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return nil }
            return cxml_parse(base.assumingMemoryBound(to: CChar.self), Int32(raw.count), &line, &message, 256)
        }
        guard let doc = parsed else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw XMLParseError(line: Int(line), message: text.isEmpty ? "empty body" : text)
        }
        defer { cxml_free(doc) }
        if cxml_has_dtd(doc) != 0 {
            throw XMLParseError(line: 1, message: "document type declarations are not accepted")
        }
        guard let root = cxml_root(doc) else { throw XMLParseError(line: 1, message: "no root element") }
        return build(root)
    }

    private static func build(_ element: UnsafeMutableRawPointer) -> XMLNode {
        var children: [XMLNode] = []
        var text = ""
        var cursor = cxml_first_child(element)
        while let node = cursor {
            switch cxml_type(node) {
            case Int32(CXML_ELEMENT): children.append(build(node))
            case Int32(CXML_TEXT), Int32(CXML_CDATA):
                if let content = cxml_content(node) { text += String(cString: content) }
            default: break
            }
            cursor = cxml_next(node)
        }
        let name = cxml_name(element).map { String(cString: $0) } ?? ""
        return XMLNode(name: name, text: children.isEmpty ? text : "", children: children)
    }
}
