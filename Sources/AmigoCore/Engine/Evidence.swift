import Foundation

/// The fields behind a finding, keyed by name, always in key order. Reads like a
/// `[String: String]` (literals, subscripts, `keys`, `mapValues`, Codable as a JSON object) but
/// is held as one string: a million findings each with a small hash table and a string per value
/// cost several hundred MiB; one length-prefixed string (`<n>:<key><n>:<value>…`, keys sorted)
/// is one allocation, often none (up to 15 UTF-8 bytes are stored inline).
public struct Evidence: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence, CustomStringConvertible {
    /// Canonical (keys sorted, unique), so equal evidence is an equal string.
    private(set) var encoded: String

    public init() { encoded = "" }

    /// Shares the storage of an equal evidence `table` already holds.
    mutating func intern(in table: inout StringTable) { encoded = table.intern(encoded) }

    public init(_ dictionary: [String: String]) {
        // Joined from parts so the string is allocated once, at its exact size.
        encoded = dictionary.keys.sorted().map { key in
            let value = dictionary[key]!
            return "\(key.utf8.count):\(key)\(value.utf8.count):\(value)"
        }.joined()
    }

    /// A repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    public var isEmpty: Bool { encoded.isEmpty }
    public var count: Int { pairs.count }
    /// In sorted order.
    public var keys: [String] { pairs.map(\.key) }
    public var dictionary: [String: String] { Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, $0.value) }) }

    public subscript(key: String) -> String? {
        get { pairs.first { $0.key == key }?.value }
        set {
            var dictionary = self.dictionary
            dictionary[key] = newValue
            self = Evidence(dictionary)
        }
    }

    public func mapValues<T>(_ transform: (String) throws -> T) rethrows -> [String: T] {
        try dictionary.mapValues(transform)
    }

    /// Key, value pairs in key order.
    public var pairs: [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        let bytes = encoded.utf8
        var i = bytes.startIndex
        func field() -> String {
            var length = 0
            while bytes[i] != UInt8(ascii: ":") {
                length = length * 10 + Int(bytes[i] - UInt8(ascii: "0"))
                i = bytes.index(after: i)
            }
            let start = bytes.index(after: i)
            i = bytes.index(start, offsetBy: length)
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }
        while i != bytes.endIndex {
            let key = field()
            result.append((key, field()))
        }
        return result
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: String)]> { pairs.makeIterator() }

    public var description: String { dictionary.isEmpty ? "[:]" : "[" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]" }

    public static func == (evidence: Evidence, dictionary: [String: String]) -> Bool { evidence == Evidence(dictionary) }
}

extension Evidence {
    /// The JSON object `JSONEncoder` with `.sortedKeys` writes for this evidence, byte for byte
    /// (`"`, `\\`, `/` and control characters escaped as it escapes them), written without the
    /// encoder: storing an evaluation spent more time in `JSONEncoder` than in SQLite.
    public var jsonObject: String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(encoded.utf8.count + 16)
        for (index, pair) in pairs.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendJSONString(pair.key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            Self.appendJSONString(pair.value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Every byte of a multi-byte UTF-8 sequence is 0x80 or more, so escaping byte by byte
    /// never splits a character.
    private static func appendJSONString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes += [UInt8(ascii: "\\"), byte]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case ..<0x20: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                    hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension Evidence: Codable {
    /// A JSON object of strings, exactly as the `[String: String]` it replaced.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String: String].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dictionary)
    }
}
