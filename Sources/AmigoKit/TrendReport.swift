import AmigoCatalog
import AmigoCore
import AmigoReports
import Foundation

/// `amigo report --trend`: the history of a scan's scope, written from the catalogue alone
/// (nothing is evaluated again), as `trend.html`, `trend.md` and `trend.json`.
public struct TrendReport: Sendable {
    public var catalogPath: String
    /// The scan the trend ends with (default: the latest finished), at its evaluation (default: its latest).
    public var scanID: Int64?
    public var evaluationID: Int64?
    public var last: Int
    public var output: OutputSettings
    /// `last`: how many scans (nil: `Trend.defaultLength`).
    public init(catalogPath: String, scanID: Int64? = nil, evaluationID: Int64? = nil, last: Int? = nil,
                output: OutputSettings) {
        self.catalogPath = catalogPath; self.scanID = scanID; self.evaluationID = evaluationID
        self.last = last ?? Trend.defaultLength; self.output = output
    }

    public func write(console: Console) async -> ExitStatus {
        await console.outcome(otherwise: .usage) {
            try ReportWriter.validate(output)
            guard last > 0 else { throw UsageError("--last must be at least 1 (got \(last))") }
            let catalog = try StoredScanRun.open(catalogPath)
            let (scan, _) = try StoredScanRun.scan(scanID, evaluation: evaluationID, in: catalog, path: catalogPath)
            let evaluation = try StoredScanRun.evaluation(evaluationID, of: scan, in: catalog, path: catalogPath)
            let trend = try catalog.trend(ending: evaluation, last: last)
            let formats = output.formats.map(\.rawValue).filter { TrendReporter.fileNames[$0] != nil }
            let unsupported = output.formats.map(\.rawValue).filter { TrendReporter.fileNames[$0] == nil }
            guard !formats.isEmpty else {
                throw UsageError("--trend writes html, markdown or json; \(unsupported.joined(separator: ", ")) list findings, not history")
            }
            for format in unsupported { console.err("--trend: \(format) has no trend form; not written") }
            let context = RenderContext(generatedAt: Date(), toolVersion: AmigoVersion.current, trend: trend)
            let rendered = formats.map { (TrendReporter.fileNames[$0]!, TrendReporter.render(trend, format: $0, context: context)!) }
            guard let directory = output.directory else {
                FileHandle.standardOutput.write(rendered[0].1)
                return .clean
            }
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch { throw UsageError("cannot create output directory \(directory.path): \(error.localizedDescription)") }
            for point in trend.points { console.out(Self.line(point)) }
            for (name, data) in rendered {
                let url = directory.appendingPathComponent(name)
                try data.write(to: url, options: .atomic)
                console.out("wrote \(url.relativePath)")
            }
            return .clean
        }
    }

    /// The trend a report shows beside its findings: only the formats that draw one need it.
    static func trend(for report: Report, catalog: Catalog, formats: [ReportFormat]) throws -> Trend? {
        guard let evaluation = report.evaluation, formats.contains(where: { $0 == .html || $0 == .markdown }) else { return nil }
        return try catalog.trend(ending: evaluation)
    }

    static func line(_ p: Trend.Point) -> String {
        let counts = Severity.allCases.reversed().map { "\($0.rawValue) \(p.tally.findings[$0] ?? 0)" }.joined(separator: " ")
        return "scan \(p.scanId)  evaluation \(p.evaluationId)  as of \(AsOf.format(p.asOf))  \(p.tally.findingCount) findings (\(counts))"
            + "  compliant \(p.tally.images.compliant())/\(p.tally.images.evaluated) images, "
            + "\(p.tally.regions.compliant())/\(p.tally.regions.evaluated) account×regions"
            + "  new \(p.new.map(String.init) ?? "-")  resolved \(p.resolved.map(String.init) ?? "-")"
    }
}
