import Dispatch
import Foundation
import Synchronization

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
    /// more than `ReportStream.chunkSize` bytes, they are handed on.
    func write(to stream: ReportStream) {
        var out: [UInt8] = []
        out.reserveCapacity(ReportStream.chunkSize + ReportStream.chunkSize / 4)
        write(into: &out, indent: 0, stream.writeIfFull)
        out.append(UInt8(ascii: "\n"))
        stream.write(Data(out))
    }

    /// Into bytes, not a String: appending to a String checked its capacity, its flags and its
    /// breadcrumbs on every piece, most of a findings.json's rendering. `inPieces`: a long lazy
    /// array is rendered a piece per core (`writeInPieces`); false inside a piece.
    private func write(into out: inout [UInt8], indent: Int, inPieces: Bool = true, _ flush: (inout [UInt8]) -> Void) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .string(let value): Self.quote(value, into: &out)
        case .array(let items):
            Self.writeArray(count: items.count, { items[$0] }, into: &out, indent: indent, inPieces: inPieces, flush)
        case .elements(let lazy) where inPieces && lazy.count >= Self.elementsPerPiece * 2:
            Self.writeInPieces(lazy, into: &out, indent: indent, flush)
        case .elements(let lazy):
            Self.writeArray(count: lazy.count, lazy.element, into: &out, indent: indent, inPieces: inPieces, flush)
        case .object(let members):
            guard !members.isEmpty else { out.append(contentsOf: "{}".utf8); return }
            out.append(contentsOf: "{\n".utf8)
            // UTF-8's byte order is code point order.
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                Self.indent(indent + 1, into: &out)
                Self.quote(key, into: &out)
                out.append(contentsOf: ": ".utf8)
                members[key]!.write(into: &out, indent: indent + 1, inPieces: inPieces, flush)
                if index != keys.count - 1 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
            }
            Self.indent(indent, into: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeArray(count: Int, _ item: (Int) -> JSONValue, into out: inout [UInt8], indent: Int,
                                   inPieces: Bool, _ flush: (inout [UInt8]) -> Void) {
        guard count > 0 else { out.append(contentsOf: "[]".utf8); return }
        out.append(contentsOf: "[\n".utf8)
        for index in 0..<count {
            element(item(index), at: index, of: count, indent: indent, into: &out, inPieces: inPieces, flush)
            flush(&out)
        }
        Self.indent(indent, into: &out)
        out.append(UInt8(ascii: "]"))
    }

    /// One element of an array of `count`, indented, with its comma and line break.
    private static func element(_ value: JSONValue, at index: Int, of count: Int, indent: Int,
                                into out: inout [UInt8], inPieces: Bool, _ flush: (inout [UInt8]) -> Void) {
        Self.indent(indent + 1, into: &out)
        value.write(into: &out, indent: indent + 1, inPieces: inPieces, flush)
        if index != count - 1 { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\n"))
    }

    static let elementsPerPiece = 256

    /// A long lazy array (a report's findings) rendered `elementsPerPiece` elements to a piece,
    /// a piece per core, a few pieces at a time, and written in order: the same bytes as
    /// `writeArray`, on every core, with only the pieces in hand held in memory.
    private static func writeInPieces(_ lazy: LazyElements, into out: inout [UInt8], indent: Int,
                                      _ flush: (inout [UInt8]) -> Void) {
        let workers = ProcessInfo.processInfo.activeProcessorCount
        guard workers > 1 else {
            return writeArray(count: lazy.count, lazy.element, into: &out, indent: indent, inPieces: false, flush)
        }
        let count = lazy.count
        let pieceCount = (count + elementsPerPiece - 1) / elementsPerPiece
        out.append(contentsOf: "[\n".utf8)
        var first = 0
        while first < pieceCount {
            let wave = min(2 * workers, pieceCount - first)
            // Each piece with where its elements end, so the stream is handed the same chunks
            // as one element after another would give it.
            let pieces = Mutex<[Int: (bytes: [UInt8], ends: [Int])]>([:]), firstOfWave = first
            DispatchQueue.concurrentPerform(iterations: wave) { offset in
                var piece: [UInt8] = [], ends: [Int] = []
                let start = (firstOfWave + offset) * elementsPerPiece
                for index in start ..< min(count, start + elementsPerPiece) {
                    element(lazy.element(index), at: index, of: count, indent: indent, into: &piece, inPieces: false) { _ in }
                    ends.append(piece.count)
                }
                pieces.withLock { $0[offset] = (piece, ends) }
            }
            let made = pieces.withLock { $0 }
            for offset in 0 ..< wave {
                let piece = made[offset]!
                var from = 0
                for end in piece.ends {
                    out.append(contentsOf: piece.bytes[from ..< end])
                    flush(&out)
                    from = end
                }
            }
            first += wave
        }
        Self.indent(indent, into: &out)
        out.append(UInt8(ascii: "]"))
    }

    private static func indent(_ level: Int, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }

    private static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most values need no escape: appended whole, they cost one copy instead of a walk
        // scalar by scalar (the walk was most of a large findings.json's CPU).
        if !needsEscape(text) {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: "\\\"".utf8)
            case "\\": out.append(contentsOf: "\\\\".utf8)
            case "\n": out.append(contentsOf: "\\n".utf8)
            case "\r": out.append(contentsOf: "\\r".utf8)
            case "\t": out.append(contentsOf: "\\t".utf8)
            case "\u{8}": out.append(contentsOf: "\\b".utf8)
            case "\u{C}": out.append(contentsOf: "\\f".utf8)
            case "\u{2028}", "\u{2029}": out.append(contentsOf: String(format: "\\u%04x", scalar.value).utf8)
            default:
                if scalar.value < 0x20 {
                    out.append(contentsOf: String(format: "\\u%04x", scalar.value).utf8)
                } else {
                    out.append(contentsOf: UTF8.encode(scalar)!)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether `text` holds a control character, a quote, a backslash, or (led by 0xE2) a
    /// possible U+2028 or U+2029.
    private static func needsEscape(_ text: String) -> Bool {
        func escapes(_ byte: UInt8) -> Bool {
            byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2
        }
        var text = text
        return text.withUTF8 { bytes in bytes.contains(where: escapes) }
    }
}
