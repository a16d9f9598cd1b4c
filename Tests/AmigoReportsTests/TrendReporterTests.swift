import AmigoCore
@testable import AmigoReports
import Foundation
import Testing

/// A scope's history as reporters take it: three scans, the last the fixture report itself.
enum TrendFixture {
    static func tally(_ findings: [Severity: Int], images: (Int, [Severity: Int]), regions: (Int, [Severity: Int])) -> ComplianceTally {
        var counts = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, 0) })
        counts.merge(findings) { $1 }
        func subjects(_ s: (Int, [Severity: Int])) -> ComplianceTally.Subjects {
            ComplianceTally.Subjects(evaluated: s.0, failing: Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, s.1[$0] ?? 0) }))
        }
        return ComplianceTally(findings: counts, images: subjects(images), regions: subjects(regions))
    }

    static var report: Report {
        var report = ReportFixture.report
        report.evaluation = EvaluationInfo(id: 7, scanId: 42, policyDigest: "d", asOf: report.scan.asOf, amigoVersion: "1.0.0-test",
                                           evaluatedAt: report.scan.asOf, findings: 11, waived: 2)
        return report
    }

    /// The last point is what `Catalog.trend` would count for `report`.
    static var trend: Trend {
        let current = ComplianceTally(images: report.images, coverage: report.coverage, findings: report.findings)
        return Trend(scope: "live accounts=organization", points: [
            Trend.Point(scanId: 40, evaluationId: 5, asOf: ReportFixture.date("2025-04-01T00:00:00Z"),
                        startedAt: ReportFixture.date("2025-04-01T06:00:00Z"), status: .complete,
                        tally: tally([.critical: 3, .high: 6, .medium: 4, .low: 2], images: (6, [.info: 6, .low: 6, .medium: 5, .high: 4, .critical: 3]),
                                     regions: (6, [.info: 4, .low: 4, .medium: 4, .high: 3, .critical: 1])),
                        new: nil, resolved: nil),
            Trend.Point(scanId: 41, evaluationId: 6, asOf: ReportFixture.date("2025-05-01T00:00:00Z"),
                        startedAt: ReportFixture.date("2025-05-01T06:00:00Z"), status: .complete,
                        tally: tally([.critical: 2, .high: 4, .medium: 3, .low: 2, .info: 1], images: (6, [.info: 5, .low: 5, .medium: 4, .high: 3, .critical: 2]),
                                     regions: (6, [.info: 3, .low: 3, .medium: 3, .high: 2, .critical: 1])),
                        new: 1, resolved: 5),
            Trend.Point(scanId: 42, evaluationId: 7, asOf: report.scan.asOf, startedAt: report.scan.startedAt, status: .partial,
                        tally: current, new: 4, resolved: 5),
        ])
    }

    static var context: RenderContext {
        RenderContext(generatedAt: ReportFixture.context.generatedAt, toolVersion: ReportFixture.context.toolVersion, trend: trend)
    }
}

@Suite struct TrendReporterTests {
    @Test(arguments: ["html", "markdown"])
    func reportWithTrendMatchesGolden(id: String) throws {
        let reporter = try #require(Reporters.reporter(for: id))
        try Golden.check(reporter.render(TrendFixture.report, context: TrendFixture.context), against: "trend-" + reporter.fileName)
    }

    @Test(arguments: ["html", "markdown", "json"])
    func trendReportMatchesGolden(format: String) throws {
        let data = try #require(TrendReporter.render(TrendFixture.trend, format: format, context: TrendFixture.context))
        try Golden.check(data, against: "trend-only-" + TrendReporter.fileNames[format]!)
    }

    @Test func formatsThatListFindingsHaveNoTrendForm() {
        for format in ["junit", "sarif", "csv"] {
            #expect(TrendReporter.render(TrendFixture.trend, format: format, context: TrendFixture.context) == nil)
        }
    }

    /// The headline compares with the previous scan of the scope: 11 findings now, 12 then.
    @Test func headlineSaysTheChangeSinceThePreviousScan() throws {
        let html = String(decoding: HTMLReporter.render(TrendFixture.report, context: TrendFixture.context), as: UTF8.self)
        #expect(html.contains("Since scan #41 (as of 2025-05-01)"))
        #expect(html.contains("findings −1 (4 new, 5 resolved)"))
        let md = String(decoding: MarkdownReporter.render(TrendFixture.report, context: TrendFixture.context), as: UTF8.self)
        #expect(md.contains("Since scan #41 (as of 2025-05-01)"))
        #expect(md.contains("| #40 | 2025-04-01 | complete | 3 | 6 | 4 | 2 | 0 | 15 |"))
    }

    /// Without a trend, or with one that ends in another evaluation, nothing is compared.
    @Test func headlineComparesOnlyWhenTheTrendEndsWithTheReportedEvaluation() throws {
        var other = TrendFixture.report
        other.evaluation?.id = 8
        for (report, context) in [(TrendFixture.report, ReportFixture.context), (other, TrendFixture.context)] {
            let html = String(decoding: HTMLReporter.render(report, context: context), as: UTF8.self)
            #expect(html.contains("No earlier scan of this scope in the catalogue to compare with."))
        }
    }

    /// Every chart has a title and a text description with every figure it draws.
    @Test func everyChartHasATextAlternative() throws {
        let html = String(decoding: HTMLReporter.render(TrendFixture.report, context: TrendFixture.context), as: UTF8.self)
        let charts = html.components(separatedBy: "<svg ").dropFirst()
        #expect(charts.count == 3)
        for chart in charts {
            #expect(chart.contains("role=\"img\""))
            #expect(chart.contains("<title id="))
            #expect(chart.contains("<desc id="))
            #expect(chart.contains("scan #40 as of 2025-04-01") && chart.contains("scan #42 as of 2025-06-01"))
        }
        #expect(html.contains("<caption>Trend data</caption>"))
    }
}

@Suite struct TrendChartTests {
    /// The axis of the findings chart has 30 units left of the plot: counts of a large
    /// organisation are shortened so they fit, small ones are written out.
    @Test(arguments: [(0, "0"), (5_000, "5000"), (12_500, "12.5k"), (250_000, "250k"), (500_000, "500k"),
                      (1_000_000, "1M"), (2_500_000, "2.5M"), (20_000_000, "20M")])
    func axisCountsFitTheMargin(count: Int, label: String) {
        #expect(TrendChart.axisCount(count) == label)
        #expect(label.count <= 5)
    }

    @Test func aMillionFindingScopeLabelsItsAxisShort() {
        var trend = TrendFixture.trend
        trend.points[trend.points.count - 1].tally.findings[.low] = 1_400_000
        let svg = TrendChart.severities(trend)
        #expect(svg.contains(">1M</text>") && svg.contains(">2M</text>"))
        #expect(!svg.contains(">2000000<"))
        trend.points[trend.points.count - 1].new = 300_000
        #expect(TrendChart.changes(trend).contains(">+500k</text>"))
    }
}
