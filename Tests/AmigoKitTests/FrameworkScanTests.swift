import Foundation
import Testing

/// `amigo scan --demo --framework cis-compute-1.0` in every format. The expected status of each
/// control is worked out here from the demo organisation's expected violations
/// (fixtures/demo-org/expected.json) and the findings the engine wrote, not from the rollup code.
@Suite(.serialized) struct FrameworkScanTests {
    static let formats = "json,junit,html,markdown,csv,sarif"
    static let allFormats = ["findings.json", "junit.xml", "report.html", "report.md", "findings.csv", "findings.sarif"]

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        var reports: URL
        func text(_ name: String) throws -> String {
            try String(contentsOf: reports.appendingPathComponent(name), encoding: .utf8)
        }
        func json() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(text("findings.json").utf8)) as? [String: Any])
        }
    }

    static func scan(_ extra: [String]) async throws -> Outcome {
        let dir = try temporaryDirectory("framework-scan")
        let result = try await amigo(["scan", "--demo", "--framework", "cis-compute-1.0", "--format", formats,
                                      "--output", dir.appendingPathComponent("reports").path,
                                      "--catalog", dir.appendingPathComponent("c.sqlite").path] + extra, killAfter: 120)
        return Outcome(status: result.status, stdout: result.stdout, stderr: result.stderr,
                       reports: dir.appendingPathComponent("reports"))
    }

    /// Policies the demo's expected.json says some image violates.
    static func expectedViolations() throws -> Set<String> {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("fixtures/demo-org/expected.json"))
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let images = try #require(doc["images"] as? [[String: Any]])
        return Set(images.flatMap { ($0["violations"] as? [String]) ?? [] })
    }

    /// control → expected status, from expected.json and the findings the engine wrote.
    static func expectation(findings: [[String: Any]], manual: Set<String>) throws -> [String: String] {
        let violated = try expectedViolations()
        let found = Set(findings.compactMap { $0["policyId"] as? String })
        // A 365-day violation is a 90-day one too: the demo must give the 90-day policy findings.
        if violated.contains("ami-max-age") { #expect(found.contains("cis-ami-max-age-90-days")) }
        var expected = ["2.1.1": "manual",
                        "2.1.2": violated.contains("ami-ebs-encrypted") ? "fail" : "pass",
                        "2.1.4": found.contains("cis-ami-max-age-90-days") ? "fail" : "pass",
                        "2.1.5": violated.contains("ami-not-public") ? "fail" : "pass"]
        expected["2.1.3"] = manual.contains("2.1.3") ? "manual" : found.contains("region-allowed-images-enabled") ? "fail" : "pass"
        return expected
    }

    static func check(_ outcome: Outcome, expected: [String: String]) throws {
        // JSON: the rollup section.
        let json = try outcome.json()
        let rollup = try #require((json["frameworks"] as? [[String: Any]])?.first)
        #expect(rollup["id"] as? String == "cis-compute-1.0")
        let controls = try #require(rollup["controls"] as? [[String: Any]])
        let statuses = Dictionary(uniqueKeysWithValues: controls.map { ($0["id"] as! String, $0["status"] as! String) })
        #expect(statuses == expected)

        // Markdown: one table row per control with its status in bold.
        let md = try outcome.text("report.md")
        #expect(md.contains("### Framework: CIS AWS Compute Services Benchmark 1.0.0 (cis-compute-1.0)"))
        for (control, status) in expected {
            #expect(md.contains("| \(control) |") && md.components(separatedBy: "\n")
                .contains { $0.hasPrefix("| \(control) |") && $0.contains("| **\(status)** |") }, "\(control) \(status)")
        }

        // JUnit: a suite per control; failures iff fail, skipped iff manual.
        let junit = try outcome.text("junit.xml")
        for (control, status) in expected {
            let open = try #require(junit.components(separatedBy: "\n").first { $0.contains("<testsuite name=\"cis-compute-1.0 \(control)\"") },
                                    "no suite for \(control)")
            #expect(open.contains("failures=\"0\"") == (status != "fail"), "\(open)")
            #expect(open.contains("skipped=\"0\"") == (status != "manual"), "\(open)")
            #expect(open.contains("errors=\"0\""), "\(open)")
        }

        // HTML: the rollup section, a row per control with its status.
        let html = try outcome.text("report.html")
        let section = try #require(html.components(separatedBy: "<section id=\"frameworks\">").dropFirst().first?
            .components(separatedBy: "</section>").first)
        for (control, status) in expected {
            #expect(section.contains("<td><span class=\"mono\">\(control)</span>"), "\(control)")
            let row = try #require(section.components(separatedBy: "<tr>").first { $0.contains("<span class=\"mono\">\(control)</span>") })
            #expect(row.contains(">\(status)</span>"), "\(row)")
        }

        // CSV: each finding names the controls its policy evidences.
        let csv = try outcome.text("findings.csv")
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.first?.hasSuffix(",controls") == true)
        for line in lines where line.hasPrefix("open,") && line.contains(",ami-not-public,") {
            #expect(line.contains("cis-compute-1.0:2.1.5"), "\(line)")
        }

        // SARIF: each rule is tagged with its framework controls.
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(outcome.text("findings.sarif").utf8)) as? [String: Any])
        let rules = try #require(((sarif["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])
            .flatMap { ($0["driver"] as? [String: Any])?["rules"] as? [[String: Any]] })
        let notPublic = try #require(rules.first { $0["id"] as? String == "ami-not-public" })
        #expect(((notPublic["properties"] as? [String: Any])?["tags"] as? [String])?.contains("cis-compute-1.0:2.1.5") == true)

        // The terminal summary.
        #expect(outcome.stdout.contains("framework CIS AWS Compute Services Benchmark 1.0.0 (cis-compute-1.0):"), "\(outcome.stdout)")
        for (control, status) in expected {
            #expect(outcome.stdout.components(separatedBy: "\n").contains { $0.hasPrefix("  \(control)  \(status)") }, "\(control)")
        }
    }

    @Test func theDemoWithTheFrameworkAloneShowsNamingAndApprovedImagesAsManual() async throws {
        let outcome = try await Self.scan([])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        for name in Self.allFormats {
            #expect(FileManager.default.fileExists(atPath: outcome.reports.appendingPathComponent(name).path), "\(name)")
        }
        let json = try outcome.json()
        let policies = try #require(json["policies"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(Set(policies) == ["ami-ebs-encrypted", "cis-ami-max-age-90-days", "ami-not-public"])
        let rollup = try #require((json["frameworks"] as? [[String: Any]])?.first)
        #expect(rollup["enabledPolicies"] as? [String] == ["ami-ebs-encrypted", "cis-ami-max-age-90-days", "ami-not-public"])
        #expect(outcome.stdout.contains("enabled by --framework cis-compute-1.0: ami-ebs-encrypted, cis-ami-max-age-90-days, ami-not-public"))
        let expected = try Self.expectation(findings: try #require(json["findings"] as? [[String: Any]]), manual: ["2.1.3"])
        #expect(expected.values.filter { $0 == "manual" }.count == 2)
        try Self.check(outcome, expected: expected)
    }

    /// With the guardrails pack loaded, Allowed AMIs judges 2.1.3; the baseline's own
    /// policies are not enabled twice.
    @Test func enablingTheGuardrailsPackJudgesApprovedImages() async throws {
        let outcome = try await Self.scan(["--policies", "policies/baseline.yml,policies/guardrails.yml"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let json = try outcome.json()
        let rollup = try #require((json["frameworks"] as? [[String: Any]])?.first)
        #expect(rollup["enabledPolicies"] as? [String] == ["cis-ami-max-age-90-days"])
        let expected = try Self.expectation(findings: try #require(json["findings"] as? [[String: Any]]), manual: [])
        #expect(expected["2.1.3"] != "manual")
        try Self.check(outcome, expected: expected)
    }

    @Test func anUnknownFrameworkIsAUsageErrorNamingTheKnownOnes() async throws {
        let result = try await amigo(["scan", "--demo", "--framework", "cis-9", "--output", "-", "--format", "json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown framework 'cis-9'") && result.stderr.contains("cis-compute-1.0"), "\(result.stderr)")
    }

    @Test func frameworksListAndShow() async throws {
        let list = try await amigo(["frameworks", "list"])
        #expect(list.status == 0)
        for id in ["aws-fsbp", "cis-aws-3.0", "cis-compute-1.0", "hipaa", "nist-800-53-r5", "pci-dss-4.0", "soc2"] {
            #expect(list.stdout.contains("\n\(id) "), "\(id): \(list.stdout)")
        }
        let show = try await amigo(["frameworks", "show", "cis-aws-3.0"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("2.2.1  Ensure EBS volume encryption is enabled in all regions"))
        #expect(show.stdout.contains("evidenced by: region-ebs-encryption-by-default (policies/guardrails.yml)"), "\(show.stdout)")
        #expect(!show.stdout.contains("ami-ebs-encrypted"))
        #expect(try await amigo(["frameworks", "show", "nope"]).status == 2)
    }

    /// `report --framework` adds the rollup to a stored evaluation; what it lacks is not evaluated.
    @Test func reportAddsTheRollupToAStoredEvaluation() async throws {
        let dir = try temporaryDirectory("framework-report")
        let catalog = dir.appendingPathComponent("c.sqlite").path
        _ = try await amigo(["scan", "--demo", "-q", "--format", "json", "--output", dir.appendingPathComponent("a").path,
                             "--catalog", catalog])
        let report = try await amigo(["report", "-q", "--catalog", catalog, "--framework", "cis-compute-1.0",
                                      "--format", "json", "--output", "-"])
        #expect(report.status == 0, "\(report.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let controls = try #require(((json["frameworks"] as? [[String: Any]])?.first)?["controls"] as? [[String: Any]])
        let statuses = Dictionary(uniqueKeysWithValues: controls.map { ($0["id"] as! String, $0["status"] as! String) })
        #expect(statuses["2.1.4"] == "not-evaluated")
        #expect(statuses["2.1.1"] == "manual")
        #expect(statuses["2.1.5"] == "fail")

        // evaluate --framework enables the 90-day policy; the stored evaluation keeps it, so a
        // later report of it says so.
        let evaluate = try await amigo(["evaluate", "-q", "--catalog", catalog, "--framework", "cis-compute-1.0",
                                        "--format", "json", "--output", dir.appendingPathComponent("b").path])
        #expect(evaluate.status == 1, "\(evaluate.stderr)")
        let again = try await amigo(["report", "-q", "--catalog", catalog, "--framework", "cis-compute-1.0",
                                     "--format", "json", "--output", "-"])
        let rendered = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let rollup = try #require((rendered["frameworks"] as? [[String: Any]])?.first)
        #expect(rollup["enabledPolicies"] as? [String] == ["ami-ebs-encrypted", "cis-ami-max-age-90-days", "ami-not-public"])
        let now = try #require(rollup["controls"] as? [[String: Any]]).first { $0["id"] as? String == "2.1.4" }
        #expect(now?["status"] as? String == "fail")
    }
}
