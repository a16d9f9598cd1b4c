import CXMLShim
import Foundation

/// A parsed XML element: just what AWS responses need (names, text, children), with the
/// namespace dropped. Lookups go by local name, so unknown elements are simply ignored.
///
/// A view into its document's flat element table (`ParsedXML`): there is no node tree, and
/// nothing is turned into a `String` until a decoder asks for that value.
public struct XMLNode: Sendable {
    let document: ParsedXML
    let index: Int32

    private var element: cxml_element { document.elements[Int(index)] }

    public var name: String { document.string(element.name_offset, element.name_length) }
    /// The element's text; empty for an element with child elements.
    public var text: String {
        let e = element
        return e.has_children != 0 || e.text_offset < 0 ? "" : document.string(e.text_offset, e.text_length)
    }
    public var children: [XMLNode] { var all: [XMLNode] = []; forEachChild { all.append($0) }; return all }

    public func child(_ name: String) -> XMLNode? {
        var found: XMLNode?
        forEachChild(named: name) { found = $0; return false }
        return found
    }
    public func all(_ name: String) -> [XMLNode] {
        var found: [XMLNode] = []
        forEachChild(named: name) { found.append($0); return true }
        return found
    }
    /// The text of a child element; nil when it is absent, empty or only whitespace. AWS writes
    /// a value it does not have as a missing element in new responses and as an empty one
    /// (`<creationDate/>`) in old ones: the two mean the same, for every type, everywhere.
    public func string(_ name: String) -> String? {
        guard let child = child(name) else { return nil }
        let e = child.element
        guard e.has_children == 0, e.text_offset >= 0, document.hasNonWhitespace(e.text_offset, e.text_length) else { return nil }
        return document.string(e.text_offset, e.text_length)
    }
    /// The `<item>` children of a wrapper element (`<imagesSet><item>…`), the EC2 list shape.
    public func items(_ wrapper: String) -> [XMLNode] { child(wrapper)?.all("item") ?? [] }
    /// Follows a path of child names: `node.at("DescribeRegionsResponse", "regionInfo")`.
    public func at(_ path: String...) -> XMLNode? {
        var node: XMLNode? = self
        for p in path { node = node?.child(p) }
        return node
    }

    private func forEachChild(_ body: (XMLNode) -> Void) {
        let elements = document.elements
        var next = index + 1
        let end = elements[Int(index)].end
        while next < end {
            body(XMLNode(document: document, index: next))
            next = elements[Int(next)].end
        }
    }

    /// Visits the children with this name until `body` says stop; names are compared as bytes.
    private func forEachChild(named name: String, _ body: (XMLNode) -> Bool) {
        var name = name
        name.withUTF8 { wanted in
            let elements = document.elements
            var next = index + 1
            let end = elements[Int(index)].end
            while next < end {
                let e = elements[Int(next)]
                if document.equals(e.name_offset, e.name_length, wanted) && !body(XMLNode(document: document, index: next)) { return }
                next = e.end
            }
        }
    }
}

/// A whole document as libxml2 handed it over: one table of elements in document order and one
/// arena of bytes, freed with the last `XMLNode` that points into it. Unchecked Sendable is
/// sound because nothing is written after `init`: every thread only reads the same bytes.
final class ParsedXML: @unchecked Sendable {
    private let handle: UnsafeMutablePointer<cxml_document>
    let elements: UnsafeBufferPointer<cxml_element>
    private let bytes: UnsafePointer<UInt8>

    init(_ handle: UnsafeMutablePointer<cxml_document>) {
        self.handle = handle
        elements = UnsafeBufferPointer(start: handle.pointee.elements, count: Int(handle.pointee.count))
        bytes = UnsafeRawPointer(handle.pointee.bytes!).assumingMemoryBound(to: UInt8.self)
    }
    deinit { cxml_document_free(handle) }

    func string(_ offset: Int32, _ length: Int32) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes + Int(offset), count: Int(length)), as: UTF8.self)
    }
    func equals(_ offset: Int32, _ length: Int32, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        Int(length) == other.count && (other.isEmpty || memcmp(bytes + Int(offset), other.baseAddress!, other.count) == 0)
    }
    /// Whether the text has anything but whitespace: the one rule of `XMLNode.string`, read
    /// on the bytes. A multi-byte character is never whitespace for this purpose unless it is
    /// one of Unicode's, so those texts are checked as characters.
    func hasNonWhitespace(_ offset: Int32, _ length: Int32) -> Bool {
        let text = UnsafeBufferPointer(start: bytes + Int(offset), count: Int(length))
        var multiByte = false
        for byte in text {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C: continue
            case 0x80...: multiByte = true
            default: return true
            }
        }
        return multiByte && string(offset, length).contains { !$0.isWhitespace }
    }
}

public struct XMLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "malformed XML at line \(line): \(message)" }
}

public enum XMLDocument {
    /// How a document is read. Both give the same elements and texts; `streaming` is what
    /// amigo uses, `tree` (libxml2's DOM) is the reference the streaming parser is tested against.
    public enum Parser: Sendable, CaseIterable { case streaming, tree }

    /// Parses a whole document and returns its root element. Refuses DTDs and entities
    /// (XXE) and network access: AWS never sends them.
    public static func parse(_ data: Data, parser: Parser = .streaming) throws(XMLParseError) -> XMLNode {
        var line: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let parsed: UnsafeMutablePointer<cxml_document>? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return nil }
            let buffer = base.assumingMemoryBound(to: CChar.self)
            switch parser {
            case .streaming: return cxml_parse_stream(buffer, Int32(raw.count), &line, &message, 256)
            case .tree: return cxml_parse_tree(buffer, Int32(raw.count), &line, &message, 256)
            }
        }
        guard let parsed else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw XMLParseError(line: Int(line), message: text.isEmpty ? "empty body" : text)
        }
        return XMLNode(document: ParsedXML(parsed), index: 0)
    }
}
