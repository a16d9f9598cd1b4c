import AmigoCore
@testable import AmigoReports
import Foundation
import Testing

/// Golden files pin every reporter's output byte for byte.
///
/// To regenerate after an intended change, run
///     AMIGO_UPDATE_GOLDEN=1 swift test --filter AmigoReportsTests
/// which writes Tests/AmigoReportsTests/Golden/* in the source tree (found via #filePath),
/// then review the diff with `git diff Tests/AmigoReportsTests/Golden` before committing.
/// Goldens are read from the source tree too, so an update needs no rebuild.
enum Golden {
    static var updating: Bool { ProcessInfo.processInfo.environment["AMIGO_UPDATE_GOLDEN"] == "1" }

    static func sourceURL(_ name: String, file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Golden").appendingPathComponent(name)
    }

    static func check(_ actual: Data, against name: String) throws {
        if updating {
            try actual.write(to: sourceURL(name))
            return
        }
        let expected = try #require(try? Data(contentsOf: sourceURL(name)),
                                    "missing golden \(name): run with AMIGO_UPDATE_GOLDEN=1")
        if actual != expected {
            let firstDifference = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(actual.count, expected.count)
            Issue.record("""
                \(name) differs from its golden file at byte \(firstDifference) \
                (actual \(actual.count) bytes, golden \(expected.count)); \
                if intended, regenerate with AMIGO_UPDATE_GOLDEN=1
                """)
        }
    }
}

struct GoldenTests {
    static let reporterIDs = ["json", "junit", "html", "sarif", "markdown", "csv", "asff", "ocsf"]

    @Test(arguments: reporterIDs)
    func reporterMatchesGolden(id: String) throws {
        let reporter = try #require(Reporters.reporter(for: id))
        let data = reporter.render(ReportFixture.report, context: ReportFixture.context)
        try Golden.check(data, against: reporter.fileName)
    }

    @Test(arguments: reporterIDs)
    func cleanReportMatchesGolden(id: String) throws {
        let reporter = try #require(Reporters.reporter(for: id))
        let data = reporter.render(ReportFixture.cleanReport, context: ReportFixture.context)
        try Golden.check(data, against: "clean-" + reporter.fileName)
    }

    @Test func summaryMatchesGolden() throws {
        try Golden.check(Data(Summary.render(ReportFixture.report).utf8), against: "summary.txt")
        try Golden.check(Data(Summary.render(ReportFixture.cleanReport).utf8), against: "clean-summary.txt")
    }

    @Test(arguments: reporterIDs)
    func renderingIsDeterministic(id: String) throws {
        let reporter = try #require(Reporters.reporter(for: id))
        // Shuffled input order must not change the bytes: reporters sort everything they list.
        var shuffled = ReportFixture.report
        shuffled.results.reverse()
        shuffled.errors.reverse()
        shuffled.coverage.reverse()
        shuffled.accounts.reverse()
        for index in shuffled.results.indices { shuffled.results[index].findings.reverse() }
        #expect(reporter.render(shuffled, context: ReportFixture.context)
                == reporter.render(ReportFixture.report, context: ReportFixture.context))
    }

    @Test func registryListsEveryFormatOnce() {
        #expect(Reporters.all.map { $0.id } == Self.reporterIDs)
        #expect(Set(Reporters.all.map { $0.fileName }).count == Reporters.all.count)
        #expect(Reporters.reporter(for: "HTML")?.id == "html")
        #expect(Reporters.reporter(for: "pdf") == nil)
    }
}
