import AmigoCatalog
import AmigoCore
import AmigoKit
import Foundation
import Testing

/// fixtures/wire/legacy-page: one page of four images, one with an empty `<creationDate/>` (a
/// legacy instance-store image, as real accounts hold) and one whose creationDate is garbage.
/// The page is decoded and judged but for the garbage one, which is a scan error naming it and
/// "cannot be verified" for every policy; both show in every report format.
@Suite struct UndecodableImageScanTests {
    static let policy = """
    policies:
      - id: ami-max-age
        check: age
        severity: medium
        params: { max-days: 365 }
      - id: ami-hvm-only
        check: virtualization-type
        severity: medium
        params: { allowed: [hvm] }
    """
    static let formats: [ReportFormat] = [.json, .junit, .html, .sarif, .markdown, .csv]
    static let files = ["findings.json", "junit.xml", "report.html", "findings.sarif", "report.md", "findings.csv"]
    static let (empty, garbage) = ("ami-20e90e49", "ami-0bbbbbbbbbbbbbbb2")

    func scan(allowPartial: Bool = false) throws -> (ScanRun, URL) {
        let dir = try temporaryDirectory("amigo-legacy")
        let policies = dir.appendingPathComponent("policies.yml")
        try Self.policy.write(to: policies, atomically: true, encoding: .utf8)
        let run = ScanRun(policyFiles: [policies], catalogPath: dir.appendingPathComponent("amigo.sqlite").path, asOf: nil,
                          source: SourceSettings(fixtures: repositoryRoot.appendingPathComponent("fixtures/wire/legacy-page"),
                                                 regions: ["us-east-1"]),
                          output: OutputSettings(formats: Self.formats, directory: dir.appendingPathComponent("reports"),
                                                 allowPartial: allowPartial),
                          log: LogSettings(quiet: true))
        return (run, dir)
    }

    @Test func oneGarbageImageCostsThatImageNotItsRegion() async throws {
        let (run, dir) = try scan()
        #expect(await run.scan(console: Console(quiet: true)) == .incomplete, "a scan error is exit 3")

        let catalog = try Catalog(path: dir.appendingPathComponent("amigo.sqlite").path)
        let scan = try #require(try catalog.latestScanID(completeOnly: false))
        let inventory = try catalog.inventory(scan: scan)
        #expect(inventory.images.map(\.imageId).sorted() == ["ami-0aaaaaaaaaaaaaaa1", "ami-0ccccccccccccccc3", Self.empty])
        #expect(inventory.coverage.map(\.status) == [.partial])
        let error = try #require(inventory.errors.first)
        #expect(inventory.errors.count == 1 && error.imageId == Self.garbage && error.code == "UndecodableImage")
        #expect(error.message.contains("creationDate \"the day before yesterday\""))

        let evaluation = try #require(try catalog.evaluations(scan: scan).last)
        let findings = try catalog.findings(evaluation: evaluation.id)
        let byImage = Dictionary(grouping: findings, by: \.resourceId)
        #expect(Set(byImage.keys) == [Self.empty, Self.garbage])
        #expect(byImage[Self.empty]?.map(\.policyId).sorted() == ["ami-hvm-only", "ami-max-age"])
        #expect(byImage[Self.empty]?.contains { $0.message.contains("age cannot be verified") } == true)
        #expect(byImage[Self.garbage]?.map(\.policyId).sorted() == ["ami-hvm-only", "ami-max-age"])
        #expect(byImage[Self.garbage]?.allSatisfy { $0.message.contains("cannot be verified") } == true)

        for file in Self.files {
            let text = try String(contentsOf: dir.appendingPathComponent("reports/\(file)"), encoding: .utf8)
            #expect(text.contains(Self.empty), "\(file) shows the image without a creation date")
            #expect(text.contains(Self.garbage), "\(file) shows the undecodable image")
        }
    }

    @Test func allowPartialLetsTheFindingsDecide() async throws {
        let (run, _) = try scan(allowPartial: true)
        #expect(await run.scan(console: Console(quiet: true)) == .findings)
    }
}
