import AmigoCore
import Dispatch
import Foundation
import Synchronization

/// Renders an evaluated report to the bytes of one output file. Implementations are pure:
/// everything that varies between runs (time, version) comes from `context`, so the same
/// inputs always give the same bytes and golden files stay stable.
public protocol Reporter: Sendable {
    /// The format name users pass on the command line (`--format json,html`).
    static var id: String { get }
    /// The conventional file name the output is written to.
    static var fileName: String { get }
    static func render(_ report: Report, context: RenderContext) -> Data
    /// The same bytes as `render`, handed to `stream` in pieces as they are made.
    static func write(_ report: Report, context: RenderContext, to stream: ReportStream)
}

extension Reporter {
    public static func write(_ report: Report, context: RenderContext, to stream: ReportStream) {
        stream.write(render(report, context: context))
    }
}

/// A reporter that renders from the shared digest, so several formats of one report derive
/// their numbers and order once.
protocol DigestReporter: Reporter {
    static func render(_ digest: ReportDigest, context: RenderContext) -> Data
    static func write(_ digest: ReportDigest, context: RenderContext, to stream: ReportStream)
}

extension DigestReporter {
    public static func render(_ report: Report, context: RenderContext) -> Data {
        render(ReportDigest(report), context: context)
    }

    public static func write(_ report: Report, context: RenderContext, to stream: ReportStream) {
        write(ReportDigest(report), context: context, to: stream)
    }

    static func write(_ digest: ReportDigest, context: RenderContext, to stream: ReportStream) {
        stream.write(render(digest, context: context))
    }
}

/// A digest reporter that writes its file in pieces (one finding at a time), so a report of
/// any size is never held whole; `render` collects the same pieces. It must implement
/// `write(_:context:to:)` (the default would call `render`, which calls `write`).
protocol StreamingReporter: DigestReporter {}

extension StreamingReporter {
    static func render(_ digest: ReportDigest, context: RenderContext) -> Data {
        ReportStream.collect { write(digest, context: context, to: $0) }
    }
}

/// Where a reporter's bytes go as they are made: a file, standard output, or (`collect`) one
/// `Data`. The first delivery that fails is kept and the rest are dropped, so a reporter
/// stays a pure function of its input and the caller decides what a failed write means.
public final class ReportStream {
    /// How much text a streaming reporter gathers before handing it on.
    public static let chunkSize = 1 << 20
    private let deliver: (Data) throws -> Void
    public private(set) var failure: (any Error)?

    public init(deliver: @escaping (Data) throws -> Void) {
        self.deliver = deliver
    }

    public func write(_ data: Data) {
        guard failure == nil, !data.isEmpty else { return }
        do { try deliver(data) } catch { failure = error }
    }

    public func write(_ text: String) { write(Data(text.utf8)) }

    /// Hands `text` on and empties it once it holds at least `chunkSize`: how a streaming
    /// reporter gathers its pieces.
    func writeIfFull(_ text: inout String) {
        guard text.utf8.count >= Self.chunkSize else { return }
        write(text)
        text.removeAll(keepingCapacity: true)
    }

    /// `writeIfFull` for a reporter that gathers bytes.
    func writeIfFull(_ bytes: inout [UInt8]) {
        guard bytes.count >= Self.chunkSize else { return }
        write(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
    }

    /// Throws the failure of a delivery, if one failed.
    public func finish() throws {
        if let failure { throw failure }
    }

    public static func collect(_ body: (ReportStream) -> Void) -> Data {
        final class Bytes { var data = Data() }
        let bytes = Bytes()
        body(ReportStream { bytes.data.append($0) })
        return bytes.data
    }
}

public enum Reporters {
    /// Renders the named formats from one digest: `take` gets each file's name and a function
    /// that writes the file to the stream it is given. A streaming reporter hands its bytes
    /// over as it makes them, so a caller that writes them out holds a chunk at a time, not a
    /// file (the JSON report of a large organisation is hundreds of MB).
    ///
    /// A report of at most `togetherLimit` findings and images (`Reporters.togetherLimit`) is
    /// rendered in all its formats at once, one format per core, so `take` is called from
    /// several threads at once, in no set order; every format is rendered even if one fails,
    /// and the first failure in `formats` order is thrown. One format after another left all
    /// but one core idle: the default JSON, JUnit and HTML of 32,000 images took 1.1 s of
    /// rendering. A larger report is rendered one format at a time, in order, and an error
    /// from `take` stops before the next format: only one format's working memory is held.
    public static func render(_ report: Report, formats: [String], context: RenderContext,
                              togetherLimit: Int = Reporters.togetherLimit,
                              each take: @Sendable (_ fileName: String, _ write: (ReportStream) -> Void) throws -> Void) throws -> String {
        let digest = ReportDigest(report)
        // A format named twice is rendered once: two renderings at once would share one file.
        var named: Set<String> = []
        let reporters = formats.compactMap(reporter(for:)).filter { named.insert($0.id).inserted }
        @Sendable func hand(_ reporter: any Reporter.Type) throws {
            try take(reporter.fileName) { stream in
                if let digestReporter = reporter as? any DigestReporter.Type {
                    digestReporter.write(digest, context: context, to: stream)
                } else {
                    reporter.write(report, context: context, to: stream)
                }
            }
        }
        if reporters.count > 1, digest.findings.count + report.images.count <= togetherLimit {
            let failures = Mutex([(any Error)?](repeating: nil, count: reporters.count))
            DispatchQueue.concurrentPerform(iterations: reporters.count) { index in
                do { try hand(reporters[index]) } catch { failures.withLock { $0[index] = error } }
            }
            if let first = failures.withLock({ $0.lazy.compactMap { $0 }.first }) { throw first }
        } else {
            for reporter in reporters { try hand(reporter) }
        }
        return Summary.render(digest)
    }

    /// How many findings and images a report may hold to be rendered in all its formats at
    /// once. Past it, each format's working memory comes after the one before, not beside it.
    /// Together, the default formats of 32,000 images (45,000 here) took 10 MB more; of
    /// 200,000 images (274,000), 55–70 MB more (351 MB), too near a 200,000-image scan's
    /// 300–340 MB peak.
    public static let togetherLimit = 100_000

    public static let all: [any Reporter.Type] = [
        JSONReporter.self, JUnitReporter.self, HTMLReporter.self,
        SARIFReporter.self, MarkdownReporter.self, CSVReporter.self,
        ASFFReporter.self, OCSFReporter.self,
    ]

    public static func reporter(for id: String) -> (any Reporter.Type)? {
        all.first { $0.id == id.lowercased() }
    }

}
