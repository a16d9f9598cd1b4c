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

    /// `Report.findings` lays the policies' findings end to end when that is their order, and
    /// sorts them otherwise: results in any order, a policy's findings out of order, or one
    /// policy's findings split between two results all give the sorted list.
    @Test(arguments: ["results reversed", "a policy's findings reversed", "a policy split in two, interleaved"])
    func aReportsFindingsAreSortedHoweverItsResultsCame(arrangement: String) throws {
        var report = ReportFixture.report
        let expected = report.results.flatMap(\.findings).sorted(by: Finding.reportOrder)
        let index = try #require(report.results.firstIndex { $0.findings.count > 2 })
        switch arrangement {
        case "results reversed": report.results.reverse()
        case "a policy's findings reversed": report.results[index].findings.reverse()
        default:
            let findings = report.results[index].findings.sorted(by: Finding.reportOrder)
            var other = report.results[index]
            report.results[index].findings = findings.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            other.findings = findings.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            report.results.append(other)
        }
        #expect(report.results.count > 2)
        #expect(report.findings == expected)
    }

    @Test func equalFindingsAreInOrder() {
        let finding = ReportFixture.report.results.flatMap(\.findings)[0]
        #expect([finding, finding].isInReportOrder)
        #expect([Finding]().isInReportOrder)
    }
}
