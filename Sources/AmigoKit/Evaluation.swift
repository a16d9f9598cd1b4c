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
        let (summary, written) = try ReportWriter.write(report, formats: output.formats, to: output.directory,
                                                        context: context)
        console.out(summary)
        for file in written { console.out("wrote \(file.relativePath)") }
        let incomplete = report.scan.status != "complete"
        if incomplete {
            console.err("scan incomplete: \(report.errors.count) scan error(s); unread regions are not compliant"
                        + (output.allowPartial ? " (--allow-partial)" : ""))
        }
        // Any finding at or above the threshold decides it: no need for `report.findings`' sort.
        return ExitStatus.decide(findings: report.results.lazy.flatMap(\.findings), failOn: output.failOn,
                                 incomplete: incomplete, allowPartial: output.allowPartial)
    }
}
