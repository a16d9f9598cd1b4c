import AmigoCatalog
import AmigoCore
import AmigoReports
import Foundation

/// Evaluate a stored scan, store its findings, write reports, decide the exit status.
enum Evaluation {
    /// Streams the scan through the engine one account×region at a time: only the findings
    /// and the images' identities are ever held for the whole scan.
    static func run(catalog: Catalog, scan: Int64, policies: PolicySet, asOf: Date, store: Bool = true) throws -> Report {
        guard var info = try catalog.scanInfo(scan) else { throw UsageError("no scan \(scan) in the catalogue") }
        info.asOf = asOf
        let overview = try catalog.overview(scan: scan)
        var run = EngineRun(policies: policies, asOf: asOf, organization: overview.organization,
                            accounts: overview.accounts)
        try catalog.forEachBatch(scan: scan) { run.add($0) }
        let evaluation = run.finish(coverage: overview.coverage)
        if store {
            try catalog.save(findings: evaluation.results.lazy.flatMap(\.findings), waived: evaluation.waived, scan: scan)
        }
        return Report(scan: info, accounts: overview.accounts, images: evaluation.images,
                      results: evaluation.results, waived: evaluation.waived, errors: overview.errors,
                      coverage: overview.coverage)
    }

    static func finish(_ report: Report, catalog: Catalog, output: OutputSettings, console: Console) throws -> ExitStatus {
        let context = RenderContext(generatedAt: report.scan.finishedAt ?? Date(), toolVersion: AmigoVersion.current)
        let written = try ReportWriter.write(report, formats: output.formats, to: output.directory, context: context)
        console.out(Summary.render(report))
        for file in written { console.out("wrote \(file.relativePath)") }
        let incomplete = report.scan.status != "complete"
        if incomplete {
            console.err("scan incomplete: \(report.errors.count) scan error(s); unread regions are not compliant"
                        + (output.allowPartial ? " (--allow-partial)" : ""))
        }
        return ExitStatus.decide(findings: report.findings, failOn: output.failOn,
                                 incomplete: incomplete, allowPartial: output.allowPartial)
    }
}

enum ReportWriter {
    static func validate(formats: [String]) throws {
        let known = Reporters.all.map { $0.id }
        for format in formats where Reporters.reporter(for: format) == nil {
            throw UsageError("unknown report format '\(format)' (known: \(known.joined(separator: ", ")))")
        }
    }

    static func write(_ report: Report, formats: [String], to directory: URL, context: RenderContext) throws -> [URL] {
        try validate(formats: formats)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch { throw UsageError("cannot create output directory \(directory.path): \(error.localizedDescription)") }
        var written: [URL] = []
        for format in formats {
            guard let reporter = Reporters.reporter(for: format) else { continue }
            let url = directory.appendingPathComponent(reporter.fileName)
            try reporter.render(report, context: context).write(to: url, options: .atomic)
            written.append(url)
        }
        return written
    }
}
