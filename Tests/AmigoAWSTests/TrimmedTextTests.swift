@testable import AmigoAWS
import Foundation
import Testing

@Suite struct TrimmedTextTests {
    /// The fast path must agree with Foundation's trimming, Unicode whitespace included.
    @Test(arguments: ["true", " true", "false\n", "\t42\r\n", "", "   ", "a b", "\u{00A0}7", "8\u{2003}",
                      "é", "x\u{0085}", "2026-01-01T00:00:00Z", "\u{FEFF}1"])
    func agreesWithFoundation(_ text: String) {
        #expect(text.trimmedWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
