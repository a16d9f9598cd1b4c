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
}

/// A reporter that renders from the shared digest, so several formats of one report derive
/// their numbers and order once.
protocol DigestReporter: Reporter {
    static func render(_ digest: ReportDigest, context: RenderContext) -> Data
}

extension DigestReporter {
    public static func render(_ report: Report, context: RenderContext) -> Data {
        render(ReportDigest(report), context: context)
    }
}

public enum Reporters {
    /// Renders the named formats one at a time from one digest, handing each file to `take`
    /// before the next is rendered: a caller that writes and drops each file holds one
    /// format's bytes at a time, not all of them (eight formats of a large organisation are
    /// several times the size of any one). An error from `take` stops before the next format.
    public static func render(_ report: Report, formats: [String], context: RenderContext,
                              each take: (_ fileName: String, _ data: Data) throws -> Void) rethrows -> String {
        let digest = ReportDigest(report)
        for id in formats {
            guard let reporter = reporter(for: id) else { continue }
            let data = (reporter as? any DigestReporter.Type)?.render(digest, context: context)
                ?? reporter.render(report, context: context)
            try take(reporter.fileName, data)
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
