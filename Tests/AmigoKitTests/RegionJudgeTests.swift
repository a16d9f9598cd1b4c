import AmigoCatalog
import AmigoCore
import Foundation
import Testing
@testable import AmigoKit

/// Account×regions judged while the scan is still being collected give exactly the evaluation
/// of the stored scan judged afterwards: the same findings, waived findings and evaluated
/// images, in the same order.
@Suite struct RegionJudgeTests {
    static let baseline = repositoryRoot.appendingPathComponent("policies/baseline.yml")

    /// The demo organisation's batches, recorded one by one into a new scan as a collection
    /// would, the judge told once, after the first `judgedFirst` (nothing if there are fewer).
    static func rescan(judgedFirst: Int) async throws -> (Catalog, Int64, PolicyFiles, Date, RegionJudge.Judged?) {
        let (run, dir) = try demoScan()
        _ = await run.scan(console: Console(quiet: true))
        let source = try Catalog(path: dir.appendingPathComponent("amigo.sqlite").path)
        let original = try #require(try source.latestScanID(completeOnly: true))
        let info = try #require(try source.scanInfo(original))
        let overview = try source.overview(scan: original)
        var batches: [RegionBatch] = []
        try source.forEachBatch(scan: original) { batches.append($0) }

        let policies = try PolicyFiles.load([baseline])
        let catalog = try Catalog(path: dir.appendingPathComponent("rescan.sqlite").path)
        let scan = try catalog.startScan(startedAt: Date(), asOf: info.asOf, source: "test", policyText: policies.text,
                                         options: "")
        try catalog.record(organization: overview.organization, accounts: overview.accounts, scan: scan)
        let judge = try #require(RegionJudge(catalog: catalog, scan: scan, policies: policies.set, asOf: info.asOf,
                                             collectsEverything: false))
        for (index, batch) in batches.enumerated() {
            try catalog.record(batch, scan: scan)
            // One drain for the whole prefix, so it finds several account×regions at once.
            if index + 1 == judgedFirst {
                judge.committed()
                _ = judge.finish()   // waits for it, so exactly these were judged
            }
        }
        try catalog.finishScan(scan, finishedAt: Date(), status: .complete)
        return (catalog, scan, policies, info.asOf, judge.finish())
    }

    @Test(arguments: [0, 1, 4, 7])
    func judgingWhileCollectingGivesTheSameEvaluation(judgedFirst: Int) async throws {
        let (catalog, scan, policies, asOf, judged) = try await Self.rescan(judgedFirst: judgedFirst)
        let imageRegions = try catalog.imageRegions(scan: scan, after: 0).count
        #expect(imageRegions > 3)
        #expect(imageRegions >= 7)
        #expect((judged?.regions.count ?? 0) == judgedFirst, "the judge took the committed prefix")

        let during = try Evaluation.run(catalog: catalog, scan: scan, policies: policies, asOf: asOf, judged: judged)
        let after = try Evaluation.run(catalog: catalog, scan: scan, policies: policies, asOf: asOf)
        #expect(during.results.map(\.findings) == after.results.map(\.findings))
        #expect(during.results.map(\.evaluated) == after.results.map(\.evaluated))
        #expect(during.results.map(\.evaluatedRegions) == after.results.map(\.evaluatedRegions))
        #expect(during.images == after.images)
        #expect(during.waived == after.waived)
        #expect(after.results.contains { !$0.findings.isEmpty })
    }

    @Test func policiesThatNeedWorkloadsAreJudgedAfterTheScan() throws {
        let catalog = try Catalog(path: try temporaryDirectory().appendingPathComponent("c.sqlite").path)
        let workloads = try PolicyFiles.load([repositoryRoot.appendingPathComponent("policies/workloads.yml")])
        #expect(workloads.set.collectsWorkloads)
        #expect(RegionJudge(catalog: catalog, scan: 1, policies: workloads.set, asOf: Date(), collectsEverything: false) == nil)
        let baseline = try PolicyFiles.load([Self.baseline])
        #expect(RegionJudge(catalog: catalog, scan: 1, policies: baseline.set, asOf: Date(), collectsEverything: true) == nil)
        #expect(RegionJudge(catalog: catalog, scan: 1, policies: baseline.set, asOf: Date(), collectsEverything: false) != nil)
    }
}
