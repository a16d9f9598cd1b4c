import AmigoCatalog
import AmigoCore
import AmigoKit
import AmigoReports
import Foundation
import Testing

/// Evaluations are records beside their scan: nothing overwrites an earlier one, and
/// `report` renders exactly the evaluation asked for.
@Suite struct EvaluationHistoryTests {
    static let baseline = repositoryRoot.appendingPathComponent("policies/baseline.yml")
    static let guardrails = repositoryRoot.appendingPathComponent("policies/guardrails.yml")

    @Test func scanThenTwoEvaluationsKeepsThreeEvaluationsEachReportedAsStored() async throws {
        let (scan, dir) = try demoScan(policies: [Self.baseline, Self.guardrails], formats: [.json])
        #expect(await scan.scan(console: Console(quiet: true)) == .findings)
        let catalogPath = dir.appendingPathComponent("amigo.sqlite").path
        func evaluate(_ policies: [URL], asOf: Date? = nil) async {
            let run = StoredScanRun(catalogPath: catalogPath, scanID: 1, policyFiles: policies, asOf: asOf,
                                    output: OutputSettings(formats: [.json], directory: dir.appendingPathComponent("e"),
                                                           failOn: .none))
            #expect(await run.evaluate(console: Console(quiet: true)) == .clean)
        }
        await evaluate([Self.baseline])
        await evaluate([Self.guardrails], asOf: AsOf.parse("2027-06-01"))

        let catalog = try Catalog(path: catalogPath)
        #expect(try catalog.scans().count == 1)
        let evaluations = try catalog.evaluations(scan: 1)
        #expect(evaluations.map(\.id) == [1, 2, 3])
        #expect(Set(evaluations.map(\.findings)).count == 3, "\(evaluations.map(\.findings))")
        #expect(evaluations[2].asOf == AsOf.parse("2027-06-01"))

        for evaluation in evaluations {
            let out = dir.appendingPathComponent("report-\(evaluation.id)")
            let report = StoredScanRun(catalogPath: catalogPath, scanID: 1, evaluationID: evaluation.id,
                                       output: OutputSettings(formats: [.json], directory: out, failOn: .none))
            #expect(await report.report(console: Console(quiet: true)) == .clean)
            let document = try #require(try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as? [String: Any])
            let findings = try #require(document["findings"] as? [[String: Any]])
            #expect(findings.count == evaluation.findings)
            let stored = try catalog.findings(evaluation: evaluation.id)
            #expect(findings.compactMap { $0["id"] as? String } == stored.sorted(by: Finding.reportOrder).map(\.fingerprint))
            let meta = try #require(document["evaluation"] as? [String: Any])
            #expect(meta["id"] as? Int == Int(evaluation.id))
        }
        let listing = try await amigo(["scans", "--catalog", catalogPath])
        #expect(listing.status == 0)
        #expect(listing.stdout.components(separatedBy: "  evaluation ").count - 1 == 3, "\(listing.stdout)")
        for e in evaluations { #expect(listing.stdout.contains("\(e.findings) findings"), "\(listing.stdout)") }
    }

    @Test func reportOfAScanNeverEvaluatedSaysSoAndExitsTwo() async throws {
        let (collect, dir) = try demoScan(formats: [.json])
        #expect(await collect.collectOnly(console: Console(quiet: true)) == .clean)
        let report = StoredScanRun(catalogPath: dir.appendingPathComponent("amigo.sqlite").path, scanID: nil,
                                   output: OutputSettings(formats: [.json], directory: dir.appendingPathComponent("r")))
        #expect(await report.report(console: Console(quiet: true)) == .usage)
    }
}

/// One identity per finding: unique within every report, equal across scans of the same data.
@Suite struct FindingIdentityTests {
    @Test func everyDemoReportGivesEachFindingItsOwnIdentity() async throws {
        let (run, dir) = try demoScan(policies: [EvaluationHistoryTests.baseline, EvaluationHistoryTests.guardrails],
                                      formats: [.json, .sarif, .csv], collectFull: true)
        _ = await run.scan(console: Console(quiet: true))
        let identities = try ReportIdentities(dir.appendingPathComponent("reports"))
        #expect(identities.all.count == 3, "json \(identities.json.count) sarif \(identities.sarif.count) csv \(identities.csv.count)")
        for ids in identities.all { #expect(Set(ids).count == ids.count, "\(ids.count) findings, \(Set(ids).count) identities") }
    }

    /// 31 findings shared 29 fingerprints before identities had discriminators; the legacy
    /// image without a creation date adds two more.
    @Test func theBaselineDemoHasThirtyThreeFindingsAndThirtyThreeIdentities() async throws {
        let (run, dir) = try demoScan(formats: [.sarif])
        _ = await run.scan(console: Console(quiet: true))
        let sarif = try ReportIdentities(dir.appendingPathComponent("reports")).sarif
        #expect(sarif.count == 33)
        #expect(Set(sarif).count == 33)
    }

    @Test func twoScansOfTheSameDataGiveTheSameIdentities() async throws {
        var sets: [Set<String>] = []
        for _ in 0..<2 {
            let (run, dir) = try demoScan(policies: [EvaluationHistoryTests.baseline, EvaluationHistoryTests.guardrails],
                                          formats: [.json])
            _ = await run.scan(console: Console(quiet: true))
            sets.append(Set(try ReportIdentities(dir.appendingPathComponent("reports")).json))
        }
        #expect(sets[0] == sets[1])
        #expect(sets[0].count > 30)
    }

    @Test func aSecondFindingOfOnePolicyOnOneImageIsNewInDiff() throws {
        let image = { (d: String?) in
            Finding(policyId: "ami-max-age", check: "age", severity: .medium, accountId: "1", region: "r",
                    resourceId: "ami-1", message: "m", discriminator: d)
        }
        let changes = FindingChanges(before: [image("deprecated")], after: [image("deprecated"), image("age")])
        #expect(changes.added.map(\.discriminator) == ["age"])
        #expect(changes.resolved.isEmpty)
    }
}
