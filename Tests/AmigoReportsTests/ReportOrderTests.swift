import AmigoCore
@testable import AmigoReports
import Foundation
import Testing

/// The digest keeps a policy's findings as the engine handed them over when they are already
/// in report order (no copy), and sorts them when they are not.
struct ReportOrderTests {
    @Test func aPolicysFindingsAreInReportOrderInTheDigestWhateverOrderTheyCameIn() throws {
        var report = ReportFixture.report
        let index = try #require(report.results.firstIndex { $0.findings.count > 1 })
        let sorted = report.results[index].findings.sorted(by: Finding.reportOrder)
        #expect(sorted.isInReportOrder)
        #expect(!Array(sorted.reversed()).isInReportOrder)
        report.results[index].findings = sorted.reversed()
        let row = try #require(ReportDigest(report).policies.first { $0.info.id == report.results[index].policy.id })
        #expect(row.findings == sorted)
    }

    @Test func equalFindingsAreInOrder() {
        let finding = ReportFixture.report.results.flatMap(\.findings)[0]
        #expect([finding, finding].isInReportOrder)
        #expect([Finding]().isInReportOrder)
    }
}
