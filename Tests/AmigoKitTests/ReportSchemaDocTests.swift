import AmigoKit
import Foundation
import Testing

/// docs/report-schema.md lists every field findings.json and SARIF results carry: a field
/// written but not documented, or documented but never written, fails.
@Suite struct ReportSchemaDocTests {
    /// The first-column names of the table under `heading` (up to the next heading).
    static func documentedFields(_ heading: String) throws -> Set<String> {
        let doc = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/report-schema.md"), encoding: .utf8)
        let lines = doc.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: heading), "no heading \(heading)")
        var fields: Set<String> = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("#") { break }
            guard line.hasPrefix("| `") else { continue }
            let cell = line.dropFirst(3).prefix { $0 != "`" }
            fields.insert(String(cell.split(separator: ".").first ?? ""))
        }
        return fields
    }

    /// A report with everything optional present: a stored evaluation, waived and lapsed
    /// waivers, an expiring one, and a baseline.
    static func richReports() async throws -> URL {
        let dir = try temporaryDirectory("schema")
        let file = dir.appendingPathComponent("p.yml")
        try (String(contentsOf: repositoryRoot.appendingPathComponent("policies/baseline.yml"), encoding: .utf8) + """

            waivers:
              - policy: ami-not-public
                images: [ami-002a5b711a64318c6]
                reason: marketing launch
                expires: 2026-11-10
            """).write(to: file, atomically: true, encoding: .utf8)
        let (first, firstDir) = try demoScan(policies: [file], formats: [.json])
        _ = await first.scan(console: Console(quiet: true))
        var (run, out) = try demoScan(policies: [file], formats: [.json, .sarif])
        run.output.baseline = firstDir.appendingPathComponent("reports/findings.json")
        _ = await run.scan(console: Console(quiet: true))
        return out.appendingPathComponent("reports")
    }

    @Test func findingsJSONAndSARIFMatchTheDocumentedFields() async throws {
        let reports = try await Self.richReports()
        let json = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: reports.appendingPathComponent("findings.json"))) as? [String: Any])
        #expect(Set(json.keys) == (try Self.documentedFields("### Top level")))
        #expect(Set(try #require(json["scan"] as? [String: Any]).keys) == (try Self.documentedFields("### `scan`")))
        #expect(Set(try #require(json["evaluation"] as? [String: Any]).keys) == (try Self.documentedFields("### `evaluation`")))
        #expect(Set(try #require(json["baseline"] as? [String: Any]).keys) == (try Self.documentedFields("### `baseline`")))
        #expect(Set(try #require(json["summary"] as? [String: Any]).keys) == (try Self.documentedFields("### `summary`")))
        let findings = try #require(json["findings"] as? [[String: Any]]) + (json["waived"] as? [[String: Any]] ?? [])
        #expect(findings.contains { $0["waiver"] != nil })
        #expect(Set(findings.flatMap(\.keys)) == (try Self.documentedFields("### `findings[]` and `waived[]`")))
        let coverage = try #require(json["coverage"] as? [[String: Any]])
        #expect(Set(coverage.flatMap(\.keys)) == (try Self.documentedFields("### `coverage[]`")))

        let sarif = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: reports.appendingPathComponent("findings.sarif"))) as? [String: Any])
        let results = try #require((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(Set(results.flatMap(\.keys)) == (try Self.documentedFields("### SARIF result fields")))
    }
}

/// The README's command list and exit-code table say what the binary does.
@Suite struct ReadmeContractTests {
    static let readme = (try? String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""

    @Test func everySubcommandIsInTheCommandList() async throws {
        let help = try await amigo(["--help"]).stdout
        let section = try #require(help.components(separatedBy: "SUBCOMMANDS:").last?.components(separatedBy: "\n\n").first)
        let names = section.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            guard line.hasPrefix("  ") && !line.hasPrefix("   "), let first = words.first, first.allSatisfy({ $0.isLetter }) else { return nil }
            return String(first)
        }
        #expect(names.count >= 8, "\(help)")
        for name in names where name != "help" { #expect(Self.readme.contains("amigo \(name) "), "README lacks `amigo \(name)`") }
    }

    @Test func everyExitCodeIsInTheTable() throws {
        let table = try #require(Self.readme.components(separatedBy: "### Exit codes").last?.components(separatedBy: "\n\n").dropFirst().first)
        let codes = Set(table.split(separator: "\n").compactMap { line -> [Int32]? in
            guard line.hasPrefix("| "), let cell = line.split(separator: "|").first else { return nil }
            return cell.split(separator: "/").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
        }.flatMap { $0 })
        #expect(codes == Set(ExitStatus.allCases.map(\.rawValue)), "\(table)")
    }
}
