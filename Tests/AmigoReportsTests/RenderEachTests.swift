import AmigoCore
import AmigoReports
import Foundation
import Testing

/// `Reporters.render(…each:)` hands over one format at a time so a writer never holds them all.
struct RenderEachTests {
    struct WriteFailed: Error {}

    @Test func eachFormatArrivesInOrderWithTheReportersOwnBytes() throws {
        let ids = ["csv", "json", "html"]
        var seen: [(String, Data)] = []
        let summary = Reporters.render(ReportFixture.report, formats: ids, context: ReportFixture.context) {
            seen.append(($0, $1))
        }
        let reporters = try ids.map { try #require(Reporters.reporter(for: $0)) }
        #expect(seen.map(\.0) == reporters.map { $0.fileName })
        for (reporter, (_, data)) in zip(reporters, seen) {
            #expect(data == reporter.render(ReportFixture.report, context: ReportFixture.context))
        }
        #expect(summary == Summary.render(ReportFixture.report))
    }

    @Test func aFailedWriteStopsBeforeTheNextFormatIsRendered() {
        var handed: [String] = []
        #expect(throws: WriteFailed.self) {
            _ = try Reporters.render(ReportFixture.report, formats: ["json", "junit", "html"],
                                     context: ReportFixture.context) { name, _ in
                handed.append(name)
                if handed.count == 2 { throw WriteFailed() }
            }
        }
        #expect(handed == ["findings.json", "junit.xml"])
    }
}
