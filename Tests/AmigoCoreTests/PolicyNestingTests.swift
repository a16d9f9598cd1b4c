import Foundation
import Testing
@testable import AmigoCore

/// Found by `scripts/fuzz policy-yaml`: Yams composes (and frees) a node tree recursively, so
/// a 200 kB policy file of nested brackets overflowed the stack and killed amigo (SIGSEGV)
/// before any error could be reported. Nesting is now bounded before Yams sees the text.
struct PolicyNestingTests {
    private func errors(_ yaml: String) -> [PolicyError] {
        do {
            _ = try PolicyLoader.load(yaml: yaml, file: "deep.yml")
            return []
        } catch {
            return error.errors
        }
    }

    /// A file that nests `levels` deep in each of YAML's ways to nest.
    private static func nested(_ shape: String, levels: Int) -> String {
        switch shape {
        case "flow": "policies: " + String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
        case "block": "policies:\n" + String(repeating: "- ", count: levels) + "x\n"
        default: "policies: [" + String(repeating: "{a: ", count: levels) + "b" + String(repeating: "}", count: levels) + "]"
        }
    }

    @Test(arguments: ["flow", "block", "mapping"])
    func deepNestingIsAnErrorAtTheLevelPastTheLimit(shape: String) {
        let found = errors(Self.nested(shape, levels: 100_000))
        #expect(found.count == 1)
        #expect(found.first?.message.contains("nested more than") == true)
        #expect(found.first.map { $0.line >= 1 && $0.column > 1 } == true, "\(String(describing: found.first))")
    }

    /// An alias is its anchor's whole subtree again: a chain of aliases nests as deep as the
    /// composed tree does, though each line of the file nests only one level.
    @Test func aliasChainsCountTheDepthTheyCompose() {
        var yaml = "x0: &a0 [leaf]\n"
        for n in 1...20_000 { yaml += "x\(n): &a\(n) [*a\(n - 1)]\n" }
        let found = errors(yaml)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("nested more than") == true)
        #expect(found.first.map { $0.line > 1 && $0.line < 20_000 } == true)
    }

    @Test func nestingWithinTheLimitIsReadAsUsual() {
        let depth = 20
        let yaml = "policies:\n  - id: p\n    check: age\n    severity: low\n    params: { max-days: "
            + String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth) + " }\n"
        let found = errors(yaml)
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { !$0.message.contains("nested more than") })
    }
}
