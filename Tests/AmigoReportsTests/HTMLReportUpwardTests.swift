import AmigoCore
@testable import AmigoReports
import Foundation
import Testing

/// The HTML report as a report to send upward: headline, breakdowns, ids that never split,
/// a findings table that stays usable at 10,000 rows.
@Suite struct HTMLReportUpwardTests {
    static func render(_ report: Report, context: RenderContext = ReportFixture.context) -> String {
        String(decoding: HTMLReporter.render(report, context: context), as: UTF8.self)
    }

    /// The evidence column broke ids mid-word (`overflow-wrap: anywhere`, and browsers break
    /// after the hyphen of `snap-…`): a word is now kept whole, lists break after their commas.
    @Test func evidenceWrapsBetweenWordsAndNeverInsideAnId() throws {
        var report = ReportFixture.report
        let ids = "snap-0aaa1111bbbb2222c,snap-0ddd3333eeee4444f arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab"
        report.results[0].findings[0].evidence = Evidence(["snapshotIds": ids])
        let html = Self.render(report)
        #expect(html.contains("<dd><span class=\"nw\">snap-0aaa1111bbbb2222c,</span><wbr><span class=\"nw\">snap-0ddd3333eeee4444f</span>"
                              + " arn:<wbr>aws:<wbr>kms:<wbr><span class=\"nw\">us-east-1:</span><wbr>111111111111:<wbr><span class=\"nw\">key/</span><wbr>"
                              + "<span class=\"nw\">1234abcd-12ab</span></dd>"))
        #expect(!HTMLAssets.style.contains("anywhere"))
        #expect(!HTMLAssets.style.contains("break-all"))
        #expect(HTMLAssets.style.contains(".nw { white-space: nowrap; }"))
    }

    @Test func messagesKeepTheirIdsWholeToo() {
        let html = Self.render(ReportFixture.report)
        #expect(html.contains("<td class=\"msg\">Snapshot <span class=\"nw\">snap-01</span> of <span class=\"nw\">/dev/xvda</span> is not encrypted</td>"))
    }

    /// 10,000 findings: every row is in the page, in pages of 250 of which only the first is laid
    /// out; the page links work without JavaScript (CSS `:target`).
    @Test func tenThousandFindingsArePagedAndAllPresent() throws {
        let report = Self.manyFindings(10_000)
        let html = Self.render(report)
        // For scripts/render-check: AMIGO_RENDER_DIR=/tmp/r swift test --filter tenThousandFindings
        if let directory = ProcessInfo.processInfo.environment["AMIGO_RENDER_DIR"] {
            try Data(html.utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent("report-10000.html"))
        }
        #expect(html.components(separatedBy: "<tr data-severity=").count - 1 == 10_000)
        #expect(html.components(separatedBy: "<tbody class=\"page").count - 1 == 40)
        #expect(html.components(separatedBy: "<tbody class=\"page first\"").count - 1 == 1)
        #expect(html.contains("<a href=\"#findings-page-40\" title=\"findings 9751–10000\">40</a>"))
        #expect(HTMLAssets.style.contains("#findings-table tbody.page.first, #findings-table tbody.page:target { display: table-row-group; }"))
        // Printed, every page is on paper.
        #expect(HTMLAssets.style.contains("#findings-table tbody.page { display: table-row-group !important; }"))
    }

    @Test func fewFindingsHaveOnePageAndNoPager() {
        let html = Self.render(ReportFixture.report)
        #expect(!html.contains("id=\"findings-pager\""))
        #expect(html.components(separatedBy: "<tbody class=\"page first\" id=\"findings-page-1\">").count - 1 == 1)
    }

    /// Counted here without `ComplianceTally`: images with no open finding; account×regions not
    /// skipped, read in full, with no open finding in them.
    @Test func headlineCountsImagesAndAccountRegionsCompliant() {
        let report = ReportFixture.report
        let failingImages = Set(report.findings.filter { $0.resourceType == "image" }.map(\.resourceId))
        let imagesCompliant = report.images.count - failingImages.count
        let notSkipped = report.coverage.filter { $0.status != .skipped }
        let dirty = Set(report.findings.map { "\($0.accountId)/\($0.region)" })
        let regionsCompliant = notSkipped.filter { $0.status == .scanned && !dirty.contains("\($0.accountId)/\($0.region)") }.count
        let html = Self.render(report)
        #expect(html.contains("<strong>\(imagesCompliant) of \(report.images.count) images and \(regionsCompliant) of \(notSkipped.count) account×regions</strong>"))
        let share = String(format: "%.1f%%", Double(imagesCompliant + regionsCompliant) / Double(report.images.count + notSkipped.count) * 100)
        #expect(html.contains("<span class=\"n\">\(share)</span>"))
    }

    @Test func breakdownsByAccountRegionAndPolicy() {
        let html = Self.render(ReportFixture.report)
        for section in ["id=\"policies\"", "id=\"accounts\"", "id=\"regions\"", "<h2>By region", "<h2>By account", "<h2>By policy"] {
            #expect(html.contains(section), "\(section)")
        }
        // eu-central-1 was not read: its region row is 0% compliant, not absent.
        #expect(html.contains("<tr><td class=\"mono\">eu-central-1</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0.0%</td>"))
    }

    @Test func printStyleKeepsTablesOnA4() {
        #expect(HTMLAssets.style.contains("@page { size: A4;"))
        #expect(HTMLAssets.style.contains("thead { display: table-header-group; }"))
        #expect(HTMLAssets.style.contains("tr, figure.chart, .headline, .banner { break-inside: avoid; }"))
    }

    static func manyFindings(_ count: Int) -> Report {
        let policy = PolicyInfo(id: "ami-max-age", check: "age", severity: .medium)
        let images = (0..<count).map { ImageRef(accountId: String(100_000_000_000 + $0 % 40),
                                                region: ["us-east-1", "eu-west-1", "ap-southeast-2"][$0 % 3],
                                                imageId: String(format: "ami-%017x", $0), name: "image-\($0)") }
        let findings = images.map { image in
            Finding(policyId: policy.id, check: policy.check, severity: .medium, accountId: image.accountId, region: image.region,
                    resourceId: image.imageId, resourceName: image.name, message: "Image \(image.imageId) is 400 days old (max 180)",
                    evidence: ["ageDays": "400", "creationDate": "2025-09-27T00:00:00Z", "snapshotIds": "snap-0aaa1111bbbb2222c,snap-0ddd3333eeee4444f"])
        }
        let coverage = Set(images.map { RegionRef(accountId: $0.accountId, region: $0.region) }).sorted()
            .map { RegionCoverage(accountId: $0.accountId, region: $0.region, status: .scanned) }
        var scan = ReportFixture.report.scan
        scan.status = .complete
        return Report(scan: scan, accounts: [], images: images,
                      results: [PolicyResult(policy: policy, evaluated: Array(images.indices), findings: findings)],
                      coverage: coverage)
    }
}
