import AmigoCatalog
import AmigoCore
import AmigoReports
import Foundation

/// Evaluate a stored scan, store its findings, write reports, decide the exit status.
enum Evaluation {
    static func run(catalog: Catalog, scan: Int64, policies: PolicySet, asOf: Date, store: Bool = true) throws -> Report {
        let inventory = try catalog.inventory(scan: scan)
        guard var info = try catalog.scanInfo(scan) else { throw UsageError("no scan \(scan) in the catalogue") }
        info.asOf = asOf
        let evaluation = Engine.evaluate(inventory, policies: policies, asOf: asOf)
        if store {
            try catalog.save(findings: evaluation.results.flatMap(\.findings), waived: evaluation.waived, scan: scan)
        }
        return Report(scan: info, accounts: inventory.accounts, images: evaluation.images,
                      results: evaluation.results, waived: evaluation.waived, errors: inventory.errors,
                      coverage: inventory.coverage)
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
        return ExitStatus.decide(findings: report.findings, failOn: output.failOn,
                                 incomplete: incomplete, allowPartial: output.allowPartial)
    }
}
