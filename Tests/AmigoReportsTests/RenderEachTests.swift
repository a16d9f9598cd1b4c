import AmigoCore
import AmigoReports
import Foundation
import Synchronization
import Testing

/// `Reporters.render(…each:)`: every format with the reporter's own bytes, whether the formats
/// were rendered all at once (a report within `togetherLimit`) or one after another.
struct RenderEachTests {
    struct WriteFailed: Error {}

    /// What `take` was handed, by the thread that was handed it.
    final class Handed: Sendable {
        let files = Mutex<[(name: String, data: Data)]>([])
        var names: [String] { files.withLock { $0.map(\.name) } }
    }

    static let ids = ["csv", "json", "html", "junit", "sarif"]

    @Test(arguments: [0, Int.max])
    func everyFormatArrivesOnceWithTheReportersOwnBytes(togetherLimit: Int) throws {
        let handed = Handed()
        let summary = try Reporters.render(ReportFixture.report, formats: Self.ids + ["json"], context: ReportFixture.context,
                                           togetherLimit: togetherLimit) { name, write in
            let data = ReportStream.collect(write)
            handed.files.withLock { $0.append((name, data)) }
        }
        let reporters = try Self.ids.map { try #require(Reporters.reporter(for: $0)) }
        let files = handed.files.withLock { $0 }
        #expect(files.map(\.name).sorted() == reporters.map { $0.fileName }.sorted(), "json, named twice, comes once")
        for reporter in reporters {
            #expect(files.first { $0.name == reporter.fileName }?.data
                    == reporter.render(ReportFixture.report, context: ReportFixture.context))
        }
        if togetherLimit == 0 { #expect(files.map(\.name) == reporters.map { $0.fileName }, "one at a time, in order") }
        #expect(summary == Summary.render(ReportFixture.report))
    }

    @Test func oneAtATimeAFailedWriteStopsBeforeTheNextFormat() {
        let handed = Handed()
        #expect(throws: WriteFailed.self) {
            _ = try Reporters.render(ReportFixture.report, formats: ["json", "junit", "html"],
                                     context: ReportFixture.context, togetherLimit: 0) { name, _ in
                handed.files.withLock { $0.append((name, Data())) }
                if name == "junit.xml" { throw WriteFailed() }
            }
        }
        #expect(handed.names == ["findings.json", "junit.xml"])
    }

    /// Together, every format is still written, and the failure is thrown once all are done.
    @Test func togetherAFailedWriteLeavesTheOtherFormatsWritten() {
        let handed = Handed()
        #expect(throws: WriteFailed.self) {
            _ = try Reporters.render(ReportFixture.report, formats: ["json", "junit", "html"],
                                     context: ReportFixture.context, togetherLimit: .max) { name, write in
                if name == "junit.xml" { throw WriteFailed() }
                let data = ReportStream.collect(write)
                handed.files.withLock { $0.append((name, data)) }
            }
        }
        #expect(handed.names.sorted() == ["findings.json", "report.html"])
        #expect(handed.files.withLock { $0.allSatisfy { !$0.data.isEmpty } })
    }
}

/// Which way a report is rendered shows in what a failed write leaves: together, every other
/// format is still written; one at a time, none after it is.
struct RenderTogetherTests {
    @Test func aReportWithinTheLimitIsRenderedTogetherAndOneBeyondItOneAtATime() throws {
        let report = ReportFixture.report
        let size = report.findings.count + report.images.count
        #expect(size <= Reporters.togetherLimit, "the default limit renders this report together")
        for (limit, together) in [(size, true), (size - 1, false)] {
            let handed = RenderEachTests.Handed()
            #expect(throws: RenderEachTests.WriteFailed.self) {
                _ = try Reporters.render(report, formats: ["json", "csv"], context: ReportFixture.context,
                                         togetherLimit: limit) { name, _ in
                    if name == "findings.json" { throw RenderEachTests.WriteFailed() }
                    handed.files.withLock { $0.append((name, Data())) }
                }
            }
            #expect(handed.names == (together ? ["findings.csv"] : []), "limit \(limit)")
        }
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
        let received = Mutex<[Data]>([])
        _ = try Reporters.render(Self.large, formats: [format], context: ReportFixture.context) { _, write in
            write(ReportStream { chunk in received.withLock { $0.append(chunk) } })
        }
        let chunks = received.withLock { $0 }
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
