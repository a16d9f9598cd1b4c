import AmigoKit
import Foundation
import Testing

/// `reports/sample/` is what the README shows: the demo's reports (baseline and workload packs) in every format. This test
/// fails when they are stale; `AMIGO_UPDATE_SAMPLE=1 scripts/test --filter SampleReportTests`
/// rewrites them.
@Suite struct SampleReportTests {
    static let formats = ReportFormat.allCases
    static let pinned = Date(timeIntervalSince1970: 1_793_491_200) // 2026-11-01T00:00:00Z, the demo's as-of

    /// Earlier scans of the demo in the sample's catalogue, so its headline has a previous scan
    /// to compare with and its trend more than one point (the age checks differ by date).
    static let earlier = ["2026-05-01", "2026-12-01", "2026-09-01"]

    @Test func sampleReportsAreCurrent() async throws {
        // Both packs, so the sample shows the workloads section and blast radius too.
        let packs = ["baseline.yml", "workloads.yml"].map { repositoryRoot.appendingPathComponent("policies/\($0)") }
        let (collect, dir) = try demoScan(policies: packs, formats: [.json])
        for date in Self.earlier {
            var earlier = collect
            earlier.asOf = AsOf.parse(date)
            #expect(await earlier.scan(console: Console(quiet: true)) == .findings)
        }
        #expect(await collect.collectOnly(console: Console(quiet: true)) == .clean)
        let rendered = dir.appendingPathComponent("sample")
        let render = StoredScanRun(catalogPath: dir.appendingPathComponent("amigo.sqlite").path, scanID: nil,
                                   policyFiles: [], asOf: nil,
                                   output: OutputSettings(formats: Self.formats, directory: rendered, failOn: .none),
                                   pinnedTime: Self.pinned)
        #expect(await render.evaluate(console: Console(quiet: true)) == .clean)

        let sample = repositoryRoot.appendingPathComponent("reports/sample")
        let files = try FileManager.default.contentsOfDirectory(atPath: rendered.path).sorted()
        #expect(files.count == Self.formats.count)
        if ProcessInfo.processInfo.environment["AMIGO_UPDATE_SAMPLE"] == "1" {
            try? FileManager.default.removeItem(at: sample)
            try FileManager.default.copyItem(at: rendered, to: sample)
        }
        for file in files {
            let fresh = try Data(contentsOf: rendered.appendingPathComponent(file))
            let committed = try? Data(contentsOf: sample.appendingPathComponent(file))
            #expect(fresh == committed, "reports/sample/\(file) is stale: AMIGO_UPDATE_SAMPLE=1 scripts/test --filter SampleReportTests")
        }
    }
}
