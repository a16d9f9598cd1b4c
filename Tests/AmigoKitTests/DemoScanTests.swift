import AmigoCatalog
import AmigoCore
import AmigoKit
import Foundation
import Testing

/// The demo organisation end to end: replayed wire responses → catalogue → engine → reports.
@Suite struct DemoScanTests {
    struct Expected: Decodable {
        struct Entry: Decodable { var account: String; var region: String; var imageId: String; var violations: [String] }
        var asOf: String
        var images: [Entry]
    }

    @Test func findingsMatchTheDemoExpectations() async throws {
        let (run, dir) = try demoScan()
        let status = await run.scan(console: Console(quiet: true))
        #expect(status == .findings)

        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf:
            repositoryRoot.appendingPathComponent("fixtures/demo-org/expected.json")))
        let catalog = try Catalog(path: dir.appendingPathComponent("amigo.sqlite").path)
        let scan = try #require(try catalog.latestScanID(completeOnly: true))
        let findings = try catalog.latestFindings(scan: scan)

        var actual: [String: Set<String>] = [:]
        for finding in findings { actual["\(finding.accountId)/\(finding.region)/\(finding.resourceId)", default: []].insert(finding.policyId) }
        var wanted: [String: Set<String>] = [:]
        for entry in expected.images where !entry.violations.isEmpty {
            wanted["\(entry.account)/\(entry.region)/\(entry.imageId)"] = Set(entry.violations)
        }
        #expect(actual == wanted)

        let inventory = try catalog.inventory(scan: scan)
        #expect(inventory.images.count == expected.images.count)
        #expect(inventory.errors.isEmpty)
        for file in ["findings.json", "junit.xml", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports/\(file)").path))
        }
    }

    static func latestFindings(_ dir: URL) throws -> [Finding] {
        let catalog = try Catalog(path: dir.appendingPathComponent("amigo.sqlite").path)
        return try catalog.latestFindings(scan: try #require(try catalog.latestScanID(completeOnly: true)))
    }

    struct WorkloadPack: Decodable {
        struct Entry: Decodable {
            var account: String; var region: String; var resourceType: String; var resourceId: String
            var kind: String?; var violations: [String]
        }
        struct File: Decodable {
            struct Pack: Decodable { var policies: [String]; var findings: [Entry] }
            var images: [Expected.Entry]
            var workloadPack: Pack
        }
    }

    /// `scan --demo` with the baseline and the workloads pack: every workload on an unapproved,
    /// deregistered, deprecated or outdated image, every image nothing in the organisation
    /// uses (and not the deprecated image another member's Auto Scaling group launches), and
    /// nothing else; every image finding carries its blast radius.
    @Test func workloadFindingsMatchTheDemoExpectations() async throws {
        let (run, dir) = try demoScan(policies: [repositoryRoot.appendingPathComponent("policies/baseline.yml"),
                                                 repositoryRoot.appendingPathComponent("policies/workloads.yml")])
        #expect(await run.scan(console: Console(quiet: true)) == .findings)
        let expected = try JSONDecoder().decode(WorkloadPack.File.self, from: Data(contentsOf:
            repositoryRoot.appendingPathComponent("fixtures/demo-org/expected.json")))
        let findings = try Self.latestFindings(dir)
        var actual: [String: Set<String>] = [:]
        for f in findings { actual["\(f.accountId)/\(f.region)/\(f.resourceType)/\(f.resourceId)", default: []].insert(f.policyId) }
        var wanted: [String: Set<String>] = [:]
        for entry in expected.images where !entry.violations.isEmpty {
            wanted["\(entry.account)/\(entry.region)/image/\(entry.imageId)"] = Set(entry.violations)
        }
        for entry in expected.workloadPack.findings {
            wanted["\(entry.account)/\(entry.region)/\(entry.resourceType)/\(entry.resourceId)", default: []].formUnion(entry.violations)
        }
        #expect(actual == wanted)
        #expect(Set(expected.workloadPack.findings.flatMap(\.violations)) == Set(expected.workloadPack.policies),
                "expected.json covers every workload policy")
        #expect(Set(expected.workloadPack.findings.compactMap(\.kind)) == ["instance", "auto-scaling-group", "launch-configuration"])

        let deprecated = "ami-07b23809a8068b050"  // 111111111111's, launched only by 222222222222's group
        #expect(!findings.contains { $0.resourceId == deprecated && $0.policyId == "ami-unused" })
        let aged = try #require(findings.first { $0.resourceId == deprecated && $0.policyId == "ami-max-age" })
        #expect(aged.evidence["usedByAutoScalingGroups"] == "1" && aged.evidence["usedByLaunchConfigurations"] == "1")
        #expect(aged.evidence["usedInAccounts"] == "1" && aged.evidence["usageComplete"] == "yes")
        #expect(findings.filter { $0.resourceType == Finding.imageResourceType }.allSatisfy { $0.evidence["usedByInstances"] != nil },
                "every image finding carries its blast radius")
        let html = try String(contentsOf: dir.appendingPathComponent("reports/report.html"), encoding: .utf8)
        #expect(html.contains("<section id=\"workloads\">") && html.contains("Would stop launching if Allowed AMIs were enabled"))
    }

    @Test func failOnNoneExitsZeroAndFailOnCriticalFollowsSeverity() async throws {
        let (none, _) = try demoScan(failOn: .none)
        #expect(await none.scan(console: Console(quiet: true)) == .clean)
        let (critical, _) = try demoScan(failOn: .severity(.critical))
        // The demo has a public image, a critical finding.
        #expect(await critical.scan(console: Console(quiet: true)) == .findings)
    }

    @Test func invalidPolicyExitsTwoAndWritesNoReport() async throws {
        let dir = try temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.yml")
        try "policies:\n  - id: x\n    check: no-such-check\n    severity: high\n".write(to: bad, atomically: true, encoding: .utf8)
        let (run, out) = try demoScan(policies: [bad])
        #expect(await run.scan(console: Console(quiet: true)) == .usage)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("reports").path))
    }

    @Test func replayedScanIsReproducible() async throws {
        let (first, firstDir) = try demoScan(formats: [.json])
        let (second, secondDir) = try demoScan(formats: [.json])
        _ = await first.scan(console: Console(quiet: true))
        _ = await second.scan(console: Console(quiet: true))
        let a = try Catalog(path: firstDir.appendingPathComponent("amigo.sqlite").path)
        let b = try Catalog(path: secondDir.appendingPathComponent("amigo.sqlite").path)
        let fa = try a.latestFindings(scan: #require(try a.latestScanID(completeOnly: false)))
        let fb = try b.latestFindings(scan: #require(try b.latestScanID(completeOnly: false)))
        #expect(!fa.isEmpty)
        #expect(fa.sorted(by: Finding.reportOrder) == fb.sorted(by: Finding.reportOrder))
    }

    @Test func regionsThatAreNotOptedInAreSkippedNotScannedNorFailed() async throws {
        var (run, dir) = try demoScan(formats: [.json])
        run.source.regions = ["af-south-1", "eu-west-1"]
        #expect(await run.scan(console: Console(quiet: true)) == .findings)
        let catalog = try Catalog(path: dir.appendingPathComponent("amigo.sqlite").path)
        let inventory = try catalog.inventory(scan: #require(try catalog.latestScanID(completeOnly: true)))
        let byStatus = Dictionary(grouping: inventory.coverage.filter { $0.region != "*" }, by: \.status)
        #expect(Set(byStatus[.skipped]?.map(\.region) ?? []) == ["af-south-1"])
        #expect(Set(byStatus[.scanned]?.map(\.region) ?? []) == ["eu-west-1"])
        #expect(byStatus[.failed] == nil)
        #expect(inventory.images.allSatisfy { $0.region == "eu-west-1" })
    }
}
