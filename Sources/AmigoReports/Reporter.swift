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
    /// Renders the summary and every named format from one digest of the report.
    public static func render(_ report: Report, formats: [String], context: RenderContext)
        -> (summary: String, files: [(fileName: String, data: Data)]) {
        let digest = ReportDigest(report)
        let files = formats.compactMap { id -> (String, Data)? in
            guard let reporter = reporter(for: id) else { return nil }
            if let digested = reporter as? any DigestReporter.Type {
                return (reporter.fileName, digested.render(digest, context: context))
            }
            return (reporter.fileName, reporter.render(report, context: context))
        }
        return (Summary.render(digest), files)
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
