import Foundation

/// A JSON tree with its own writer, so the bytes are the same on every platform and Foundation
/// version: keys sorted by code point, two-space indent, `"key": value`, UTF-8 unescaped
/// except where JSON requires it (and U+2028/U+2029, which break JavaScript embedding).
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    /// An array whose elements are built one at a time as they are written, then dropped: a
    /// report's findings never exist as one tree (at ~1.5 KB a finding, 74,000 of them were ~110 MB).
    case elements(LazyElements)
    case object([String: JSONValue])

    struct LazyElements: Sendable, Equatable {
        let count: Int
        let element: @Sendable (Int) -> JSONValue

        init<C: Collection & Sendable>(_ items: C, _ transform: @escaping @Sendable (C.Element) -> JSONValue) where C.Index == Int {
            count = items.count
            let start = items.startIndex
            element = { transform(items[start + $0]) }
        }

        static func == (a: LazyElements, b: LazyElements) -> Bool {
            a.count == b.count && (0..<a.count).allSatisfy { a.element($0) == b.element($0) }
        }
    }

    static func lazy<C: Collection & Sendable>(_ items: C, _ transform: @escaping @Sendable (C.Element) -> JSONValue) -> JSONValue
    where C.Index == Int {
        .elements(LazyElements(items, transform))
    }

    static func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    static func date(_ value: Date?) -> JSONValue { value.map { .string(Timestamp.iso($0)) } ?? .null }

    func rendered() -> Data {
        ReportStream.collect(write)
    }

    /// Writes the document to `stream`, a chunk at a time: each time an array element leaves
    /// more than `ReportStream.chunkSize` of text, it is handed on.
    func write(to stream: ReportStream) {
        var out = ""
        write(into: &out, indent: 0, stream.writeIfFull)
        out += "\n"
        stream.write(out)
    }

    private func write(into out: inout String, indent: Int, _ flush: (inout String) -> Void) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .string(let value): Self.quote(value, into: &out)
        case .array(let items):
            Self.writeArray(count: items.count, { items[$0] }, into: &out, indent: indent, flush)
        case .elements(let lazy):
            Self.writeArray(count: lazy.count, lazy.element, into: &out, indent: indent, flush)
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            let keys = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            for (index, key) in keys.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                Self.quote(key, into: &out)
                out += ": "
                members[key]!.write(into: &out, indent: indent + 1, flush)
                out += index == keys.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    private static func writeArray(count: Int, _ item: (Int) -> JSONValue, into out: inout String, indent: Int,
                                   _ flush: (inout String) -> Void) {
        guard count > 0 else { out += "[]"; return }
        out += "[\n"
        for index in 0..<count {
            out += String(repeating: "  ", count: indent + 1)
            item(index).write(into: &out, indent: indent + 1, flush)
            out += index == count - 1 ? "\n" : ",\n"
            flush(&out)
        }
        out += String(repeating: "  ", count: indent) + "]"
    }

    private static func quote(_ text: String, into out: inout String) {
        out += "\""
        // Most values need no escape: appended whole, they cost one copy instead of a walk
        // scalar by scalar (the walk was most of a large findings.json's CPU).
        if !needsEscape(text) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case "\u{2028}", "\u{2029}": out += String(format: "\\u%04x", scalar.value)
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Whether `text` holds a control character, a quote, a backslash, or (led by 0xE2) a
    /// possible U+2028 or U+2029.
    private static func needsEscape(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }
    }
}
