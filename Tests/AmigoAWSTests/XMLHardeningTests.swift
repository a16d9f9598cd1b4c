import AmigoAWS
import Foundation
import Testing

/// AWS never sends a DTD, so an answer that carries one is refused whole: no external entity
/// is fetched or read (XXE), and no entity is expanded (billion laughs).
struct XMLHardeningTests {
    @Test(arguments: [
        #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><DescribeRegionsResponse>&x;</DescribeRegionsResponse>"#,
        #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:1/x">]><r>&x;</r>"#,
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
            + (1...9).map { "<!ENTITY \(Character(UnicodeScalar(97 + $0)!)) \"" + String(repeating: "&\(Character(UnicodeScalar(96 + $0)!));", count: 10) + "\">" }.joined()
            + "]><r>&j;</r>",
    ])
    func documentsWithADTDAreRefused(xml: String) {
        for parser in XMLDocument.Parser.allCases {
            let error = #expect(throws: XMLParseError.self, "\(parser)") { try XMLDocument.parse(Data(xml.utf8), parser: parser) }
            // The DOM builds the DTD first and may trip on it (an entity loop); the streaming
            // parser stops where the declaration starts.
            if parser == .streaming { #expect(error?.message == "document type declarations are not accepted") }
        }
    }

    @Test func aDTDIsRefusedBeforeTheRestIsRead() {
        // The streaming parser stops at the declaration: what follows is never parsed.
        let xml = #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x">]><r>"# + String(repeating: "<a>&a;</a>", count: 100_000)
        let error = #expect(throws: XMLParseError.self) { try XMLDocument.parse(Data(xml.utf8)) }
        #expect(error?.message == "document type declarations are not accepted")
    }

    @Test(arguments: XMLDocument.Parser.allCases)
    func entityTextNeverReachesTheTree(parser: XMLDocument.Parser) throws {
        // Without a DTD an entity reference is an error, not an empty or expanded string.
        #expect(throws: XMLParseError.self) { try XMLDocument.parse(Data("<r><a>&secret;</a></r>".utf8), parser: parser) }
        let root = try XMLDocument.parse(Data("<r><a>&lt;b&gt; &amp;</a></r>".utf8), parser: parser)
        #expect(root.string("a") == "<b> &")
    }
}
