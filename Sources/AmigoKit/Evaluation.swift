import AmigoCatalog
import AmigoCore
import AmigoReports
import Foundation

/// Evaluate a stored scan, store the evaluation, render a stored one, write reports, decide
/// the exit status.
enum Evaluation {
    /// Judges the scan and stores the outcome as a new evaluation beside any earlier ones.
    /// `prejudged`: the scan's account×regions judged while it was collected, with these policies.
    static func run(catalog: Catalog, scan: Int64, policies: PolicyFiles, asOf: Date,
                    prejudged: Prejudging? = nil) throws -> Report {
        var report = try judge(catalog: catalog, scan: scan, policies: policies.set, asOf: asOf, prejudged: prejudged)
        report.frameworks = policies.rollups(report)
        let record = EvaluationRecord(scan: scan, policyDigest: policies.digest,
                                      policyText: policies.text, asOf: asOf, amigoVersion: AmigoVersion.current,
                                      evaluatedAt: Date())
        report.evaluation = try catalog.save(record, findings: report.results.lazy.flatMap(\.findings),
                                             waived: report.waived)
        return report
    }

    /// A stored evaluation exactly as it was: its findings and waived findings as stored. The
    /// engine runs again (with the evaluation's own policies and as-of) only to list what each
    /// policy evaluated, which is not stored; it judges nothing.
    static func render(catalog: Catalog, evaluation: EvaluationInfo, frameworks: [String] = []) throws -> Report {
        guard let text = try catalog.policyText(evaluation: evaluation.id) else {
            throw UsageError("no evaluation \(evaluation.id) in the catalogue")
        }
        let policies = try PolicyFiles.load(stored: text, frameworks: frameworks)
        var report = try judge(catalog: catalog, scan: evaluation.scanId, policies: policies.set, asOf: evaluation.asOf,
                               purpose: .listEvaluated)
        let stored = try catalog.findingsByPolicy(evaluation: evaluation.id)
        for i in report.results.indices { report.results[i].findings = stored[report.results[i].policy.id] ?? [] }
        report.waived = try catalog.waivedFindings(evaluation: evaluation.id)
        report.evaluation = evaluation
        report.frameworks = policies.rollups(report)
        return report
    }

    /// Streams the scan through the engine one account×region at a time: only the findings
    /// and the images' identities are ever held for the whole scan.
    private static func judge(catalog: Catalog, scan: Int64, policies: PolicySet, asOf: Date,
                              purpose: EngineRun.Purpose = .judge, prejudged: Prejudging? = nil) throws -> Report {
        guard var info = try catalog.scanInfo(scan) else { throw UsageError("no scan \(scan) in the catalogue") }
        info.asOf = asOf
        let overview = try catalog.overview(scan: scan)
        let coverage = overview.coverage + (try notRead(catalog: catalog, scan: scan))
        // Usage is organisation-wide: every workload is read before the first image is judged.
        let workloads = try collectedWorkloads(catalog: catalog, scan: scan)
            ? WorkloadIndex(workloads: try catalog.workloads(scan: scan),
                            referencedImages: try catalog.referencedImages(scan: scan),
                            coverage: coverage, errors: overview.errors)
            : nil
        // Batches judged while the scan was collected stand for themselves only if nothing the
        // judge used has changed since (`Prejudging`).
        let prejudge = prejudged?.finish().flatMap { p in
            workloads == nil && purpose == .judge
                && p.judge.judgesLike(organization: overview.organization, accounts: overview.accounts, asOf: asOf) ? p : nil
        }
        var run = prejudge.map { EngineRun(judge: $0.judge) }
            ?? EngineRun(policies: policies, asOf: asOf, organization: overview.organization,
                         accounts: overview.accounts, workloads: workloads, purpose: purpose)
        var known: [RegionRef: Prejudging.Judged] = [:]
        if let prejudge {
            let rows = try catalog.rowCounts(scan: scan)
            known = prejudge.judged.filter { rows[$0.key] == $0.value.rows }
        }
        try catalog.forEachBatch(scan: scan, known: Set(known.keys)) { item in
            switch item {
            case .read(let batch): run.add(batch)
            case .known(let region):
                // Each account×region comes once, and only those in `known` come as known.
                guard let judged = known.removeValue(forKey: region) else {
                    preconditionFailure("account \(region.accountId) region \(region.region) came twice")
                }
                run.add(judged.batch)
            }
        }
        let evaluation = run.finish(coverage: overview.coverage)
        var report = Report(scan: info, accounts: overview.accounts, images: evaluation.images,
                            results: evaluation.results, waived: evaluation.waived, errors: overview.errors,
                            coverage: coverage)
        report.expiringWaivers = evaluation.expiringWaivers
        return report
    }

    /// Whether the scan read workloads (its policies needed them, or it collected everything):
    /// only then does "no workload uses this image" mean none does.
    private static func collectedWorkloads(catalog: Catalog, scan: Int64) throws -> Bool {
        if try catalog.options(scan: scan)?.split(separator: " ").contains(Substring(ScanRun.collectFullOption)) == true { return true }
        guard let text = try catalog.policyText(scan: scan) else { return false }
        return try PolicyFiles.storedPolicies(text).collectsWorkloads
    }

    /// Account×regions the scan planned but never finished: unreadable, in every report.
    private static func notRead(catalog: Catalog, scan: Int64) throws -> [RegionCoverage] {
        try catalog.unread(scan: scan).map {
            RegionCoverage(accountId: $0.accountId, region: $0.region, status: .failed,
                           reason: "not read: the scan stopped before this account×region was read")
        }
    }

    static func finish(_ report: Report, catalog: Catalog, output: OutputSettings, console: Console) throws -> ExitStatus {
        var report = report
        if let file = output.baseline { report.baseline = try Baseline.load(file).compare(report) }
        let context = RenderContext(generatedAt: report.scan.finishedAt ?? Date(), toolVersion: AmigoVersion.current,
                                    trend: try TrendReport.trend(for: report, catalog: catalog, formats: output.formats))
        let (summary, written) = try ReportWriter.write(report, output: output, context: context)
        // With `--output -` standard output is the report: the summary goes to stderr.
        if output.destination == .standardOutput {
            if !console.quiet { console.err(summary) }
        } else {
            console.out(summary)
        }
        for file in written { console.out("wrote \(file.relativePath)") }
        let incomplete = !report.scan.status.isComplete
        if incomplete {
            console.err("scan \(report.scan.status.rawValue): \(report.errors.count) scan error(s); unread regions are not compliant"
                        + (output.allowPartial ? " (--allow-partial)" : ""))
        }
        // Any finding at or above the threshold decides it: no need for `report.findings`' sort.
        let gated = report.results.lazy.flatMap(\.findings)
        if let baseline = report.baseline {
            return ExitStatus.decide(findings: gated.filter { !baseline.known.contains($0.fingerprint) },
                                     failOn: output.failOn, incomplete: incomplete, allowPartial: output.allowPartial)
        }
        return ExitStatus.decide(findings: gated, failOn: output.failOn, incomplete: incomplete,
                                 allowPartial: output.allowPartial)
    }
}
