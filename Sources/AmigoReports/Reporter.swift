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

public enum Reporters {
    public static let all: [any Reporter.Type] = [
        JSONReporter.self, JUnitReporter.self, HTMLReporter.self,
        SARIFReporter.self, MarkdownReporter.self, CSVReporter.self,
    ]

    public static func reporter(for id: String) -> (any Reporter.Type)? {
        all.first { $0.id == id.lowercased() }
    }

}
