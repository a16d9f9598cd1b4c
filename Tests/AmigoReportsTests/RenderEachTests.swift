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
        let summary = Reporters.render(ReportFixture.report, formats: ids, context: ReportFixture.context) { name, write in
            seen.append((name, ReportStream.collect(write)))
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

/// The JSON-based reports, the CSV and the JUnit XML are handed on a chunk at a time as they are made, so a writer holds
/// about `ReportStream.chunkSize` of a file, never the file.
struct StreamedReportTests {
    /// 15,000 findings: several MB in every streamed format.
    static let large = ReportFixture.report(findings: 15_000)

    @Test(arguments: ["json", "sarif", "asff", "ocsf", "csv", "junit"])
    func aLargeReportArrivesInChunksThatMakeUpTheWholeFile(format: String) throws {
        let reporter = try #require(Reporters.reporter(for: format))
        var chunks: [Data] = []
        _ = Reporters.render(Self.large, formats: [format], context: ReportFixture.context) { _, write in
            write(ReportStream { chunks.append($0) })
        }
        let whole = reporter.render(Self.large, context: ReportFixture.context)
        #expect(whole.count > 3 * ReportStream.chunkSize)
        #expect(chunks.count > 3)
        // A chunk is handed on once it passes the size, so it overshoots by at most one finding.
        #expect(chunks.allSatisfy { $0.count < ReportStream.chunkSize + 16_384 })
        #expect(chunks.reduce(Data(), +) == whole)
    }

    struct DiskFull: Error {}

    @Test func theFirstFailedDeliveryIsKeptAndTheRestAreDropped() {
        var delivered = 0
        let stream = ReportStream { _ in
            delivered += 1
            if delivered == 2 { throw DiskFull() }
        }
        JSONReporter.write(Self.large, context: ReportFixture.context, to: stream)
        #expect(delivered == 2)
        #expect(throws: DiskFull.self) { try stream.finish() }
    }
}
