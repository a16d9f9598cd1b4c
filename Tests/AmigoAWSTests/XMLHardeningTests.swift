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
        #expect(throws: XMLParseError.self) { try XMLDocument.parse(Data(xml.utf8)) }
    }

    @Test func entityTextNeverReachesTheTree() throws {
        // Without a DTD an entity reference is an error, not an empty or expanded string.
        #expect(throws: XMLParseError.self) { try XMLDocument.parse(Data("<r><a>&secret;</a></r>".utf8)) }
        let root = try XMLDocument.parse(Data("<r><a>&lt;b&gt; &amp;</a></r>".utf8))
        #expect(root.string("a") == "<b> &")
    }
}
