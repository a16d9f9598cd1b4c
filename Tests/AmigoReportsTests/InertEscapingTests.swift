@testable import AmigoReports
import Testing

/// Issue 8, item 7: what steers a terminal or reorders text is neutralised in every format,
/// C1 controls and the bidi controls included, not only the C0 controls XML forbids.
@Suite struct InertEscapingTests {
    static let steering = ["\u{1B}[2J", "\u{9B}31m", "\u{85}", "\u{7F}", "\u{202E}gpj.exe", "\u{2066}x\u{2069}",
                           "\u{200F}", "\u{2028}"]

    static func hasSteering(_ text: String) -> Bool {
        text.unicodeScalars.contains {
            ($0.value < 0x20 && !["\n", "\r", "\t"].contains($0)) || (0x7F...0x9F).contains($0.value)
                || [0x061C, 0x200E, 0x200F, 0x2028, 0x2029].contains($0.value)
                || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
        }
    }

    @Test(arguments: steering)
    func markdownCSVAndJUnitAttributesAreInert(_ value: String) {
        for (format, escaped) in [("markdown", Escape.markdownCell(value)), ("csv", Escape.csvField(value)),
                                  ("junit attribute", Escape.xml(value)), ("xml content", Escape.xml(value, attribute: false)),
                                  ("html", Escape.html(value))] {
            #expect(!Self.hasSteering(escaped), "\(format) kept a steering character: \(escaped.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func plainTextIsLeftAlone() {
        #expect(Escape.markdownCell("ami-0123 Amazon Linux ✓") == "ami-0123 Amazon Linux ✓")
        #expect(Escape.csvField("ünïcode") == "ünïcode")
    }
}
