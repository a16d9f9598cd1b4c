import Foundation
import Testing
@testable import AmigoCore

struct EvidenceTests {
    static let samples: [[String: String]] = [
        [:],
        ["a": ""],
        ["ageDays": "401", "creationDate": "2024-04-27T00:00:00Z"],
        ["12:3": "4:56", "": "empty key", "tag:Environment": "prod\u{1}", "ü→": "値\u{0}x"],
    ]

    @Test(arguments: samples)
    func readsLikeTheDictionaryItHolds(dictionary: [String: String]) throws {
        let evidence = Evidence(dictionary)
        #expect(evidence.dictionary == dictionary)
        #expect(evidence.keys == dictionary.keys.sorted())
        #expect(evidence.count == dictionary.count && evidence.isEmpty == dictionary.isEmpty)
        for (key, value) in dictionary { #expect(evidence[key] == value) }
        #expect(evidence["missing"] == nil)
        #expect(Array(evidence).map(\.key) == dictionary.keys.sorted())
        #expect(evidence.mapValues { $0.count } == dictionary.mapValues { $0.count })

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(try encoder.encode(evidence) == encoder.encode(dictionary), "stored and reported exactly as before")
        #expect(try JSONDecoder().decode(Evidence.self, from: encoder.encode(dictionary)) == evidence)
    }

    /// Every ASCII byte, the escapes, non-ASCII and keys whose order depends on how they are
    /// compared: the catalogue's evidence text is what `JSONEncoder` wrote before.
    static let awkward: [[String: String]] = samples + [
        ["text": String((0..<0x80).map { Character(Unicode.Scalar(UInt8($0))) }) + "é€😀\u{2028}\u{7f}"],
        ["a/b": "</script>", "quote\"": "back\\slash", "A": "upper", "_": "under", "a10": "x", "a9": "y", "Z": "z"],
        ["name": "ami \"prod\" & <test>\r\n\t\u{8}\u{c}", "snapshotId": "snap-0123456789abcdef0"],
    ]

    @Test(arguments: awkward)
    func jsonObjectIsWhatJSONEncoderWrites(dictionary: [String: String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let evidence = Evidence(dictionary)
        #expect(evidence.jsonObject == String(decoding: try encoder.encode(dictionary), as: UTF8.self))
        #expect(try JSONDecoder().decode([String: String].self, from: Data(evidence.jsonObject.utf8)) == dictionary)
    }

    @Test func literalsSubscriptsAndEqualityIgnoreInsertionOrder() {
        var evidence: Evidence = ["b": "2", "a": "1"]
        #expect(evidence == Evidence(["a": "1", "b": "2"]))
        #expect(evidence == ["a": "1", "b": "2"] as [String: String])
        evidence["c"] = "3"
        evidence["a"] = nil
        #expect(evidence.keys == ["b", "c"] && evidence["c"] == "3")
        #expect(evidence.hashValue == Evidence(["c": "3", "b": "2"]).hashValue)
        #expect(evidence != ["b": "2"])
        #expect(evidence.description == "[b: 2, c: 3]")
    }
}
