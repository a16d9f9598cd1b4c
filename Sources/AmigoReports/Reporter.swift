import AmigoCore
import Foundation

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
    /// Renders the named formats one at a time from one digest: `take` gets each file's name
    /// and a function that writes the file to the stream it is given, before the next format
    /// is rendered. A streaming reporter hands its bytes over as it makes them, so a caller
    /// that writes them out holds a chunk at a time, not a file (the JSON report of a large
    /// organisation is hundreds of MB). An error from `take` stops before the next format.
    public static func render(_ report: Report, formats: [String], context: RenderContext,
                              each take: (_ fileName: String, _ write: (ReportStream) -> Void) throws -> Void) rethrows -> String {
        let digest = ReportDigest(report)
        for id in formats {
            guard let reporter = reporter(for: id) else { continue }
            try take(reporter.fileName) { stream in
                if let digestReporter = reporter as? any DigestReporter.Type {
                    digestReporter.write(digest, context: context, to: stream)
                } else {
                    reporter.write(report, context: context, to: stream)
                }
            }
        }
        return Summary.render(digest)
    }

    public static let all: [any Reporter.Type] = [
        JSONReporter.self, JUnitReporter.self, HTMLReporter.self,
        SARIFReporter.self, MarkdownReporter.self, CSVReporter.self,
        ASFFReporter.self, OCSFReporter.self,
    ]

    public static func reporter(for id: String) -> (any Reporter.Type)? {
        all.first { $0.id == id.lowercased() }
    }

}
