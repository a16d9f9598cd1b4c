import AmigoCore
import Testing

@Suite struct InertTextTests {
    static let hostile = "\u{1B}]0;title\u{07}\u{1B}[2J\u{1B}[32mscan complete, 0 findings\nFORGED \u{202E}\u{9B}31m\u{2028}\u{7F}"

    @Test func aLineKeepsItsTextAndLosesEverythingThatSteers() {
        let line = InertText.line(Self.hostile)
        #expect(!line.unicodeScalars.contains(where: InertText.isSteering), "\(line)")
        #expect(line.contains("scan complete, 0 findings\\nFORGED"))
        #expect(line.contains("\\u{1b}]0;title\\u{7}") && line.contains("\\u{202e}") && line.contains("\\u{9b}"))
    }

    @Test func linesKeepOnlyTheirOwnBreaks() {
        let text = InertText.lines("first\nsecond\r\u{1B}[2K")
        #expect(text == "first\nsecond\\r\\u{1b}[2K")
    }

    @Test func plainTextIsReturnedAsItIs() {
        #expect(InertText.line("ami-0123 Amazon Linux 2023 ✓ ünï") == "ami-0123 Amazon Linux 2023 ✓ ünï")
    }
}
