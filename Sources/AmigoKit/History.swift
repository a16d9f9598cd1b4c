import AmigoCatalog
import AmigoCore
import AmigoReports
import Foundation

/// `amigo scans` and `amigo diff`: the catalogue's history, for weekly compliance reports.
public enum History {
    public static func list(catalogPath: String, console: Console) async -> ExitStatus {
        await console.outcome(otherwise: .usage) {
            let catalog = try StoredScanRun.open(catalogPath)
            let scans = try catalog.scans()
            if scans.isEmpty { console.out("no scans in \(catalogPath)"); return .clean }
            for scan in scans {
                guard let id = scan.id else { continue }
                console.out("scan \(id)  \(scan.status.rawValue)  started \(AsOf.format(scan.startedAt))  as of \(AsOf.format(scan.asOf))  source \(scan.source)")
                let evaluations = try catalog.evaluations(scan: id)
                if evaluations.isEmpty { console.out("  not evaluated") }
                for e in evaluations {
                    console.out("  evaluation \(e.id)  \(AsOf.format(e.evaluatedAt))  as of \(AsOf.format(e.asOf))  policies \(e.policyDigest.prefix(12))  amigo \(e.amigoVersion)  \(e.findings) findings, \(e.waived) waived")
                }
            }
            return .clean
        }
    }

    /// Which evaluation a side of a diff is: an evaluation id, or a scan's latest evaluation.
    public struct Side: Sendable {
        public var scan: Int64?
        public var evaluation: Int64?
        public init(scan: Int64? = nil, evaluation: Int64? = nil) { self.scan = scan; self.evaluation = evaluation }
    }

    /// Findings that appeared and disappeared between two evaluations (default: the latest
    /// evaluations of the two latest finished scans). Exit 1 when anything new appeared at or
    /// above `failOn`, so a weekly job can alert on it.
    public static func diff(catalogPath: String, from: Side, to: Side, failOn: FailThreshold,
                            reports: OutputSettings? = nil, console: Console) async -> ExitStatus {
        await console.outcome(otherwise: .usage) {
            let catalog = try StoredScanRun.open(catalogPath)
            let ids = try catalog.scans().filter { $0.status != .running }.compactMap(\.id)
            let newer = try evaluation(to, catalog: catalog, path: catalogPath, defaultScan: ids.first)
            let older = try evaluation(from, catalog: catalog, path: catalogPath,
                                       defaultScan: ids.first(where: { $0 < newer.scanId }))
            if let reports { try ReportWriter.validate(reports) }
            let before = try catalog.findings(evaluation: older.id)
            let comparison = FindingChanges(before: before, after: try catalog.findings(evaluation: newer.id))
            if let reports {
                // The newer evaluation, each finding marked against the older one.
                var report = try Evaluation.render(catalog: catalog, evaluation: newer)
                report.baseline = Baseline(findings: before.map { ($0.fingerprint, $0) }).compare(report)
                let context = RenderContext(generatedAt: report.scan.finishedAt ?? Date(), toolVersion: AmigoVersion.current)
                let written = try ReportWriter.write(report, output: reports, context: context).files
                for file in written { console.err("wrote \(file.relativePath)") }
                if reports.destination == .standardOutput {
                    return ExitStatus.decide(findings: comparison.added, failOn: failOn, incomplete: false, allowPartial: true)
                }
            }
            console.out("scan \(older.scanId) (evaluation \(older.id)) → scan \(newer.scanId) (evaluation \(newer.id)): "
                        + "\(comparison.added.count) new, \(comparison.resolved.count) resolved, \(comparison.after.count) open")
            for f in comparison.added { console.out("+ \(line(f)): \(f.message)") }
            for f in comparison.resolved { console.out("- \(line(f))") }
            return ExitStatus.decide(findings: comparison.added, failOn: failOn, incomplete: false, allowPartial: true)
        }
    }

    private static func line(_ f: Finding) -> String {
        "\(f.severity.rawValue) \(f.policyId) \(f.accountId)/\(f.region)/\(f.resourceId)" + (f.discriminator.map { " [\($0)]" } ?? "")
    }

    private static func evaluation(_ side: Side, catalog: Catalog, path: String, defaultScan: Int64?) throws -> EvaluationInfo {
        if let id = side.evaluation {
            guard let e = try catalog.evaluationInfo(id) else { throw UsageError("no evaluation \(id) in \(path)") }
            if let scan = side.scan, scan != e.scanId {
                throw UsageError("evaluation \(id) belongs to scan \(e.scanId), not scan \(scan)")
            }
            return e
        }
        guard let scan = side.scan ?? defaultScan else {
            throw UsageError("diff needs two finished, evaluated scans in \(path)")
        }
        return try StoredScanRun.evaluation(nil, of: scan, in: catalog, path: path)
    }
}

/// Two sets of findings compared by `Finding.identity`: the same problem on the same resource
/// is the same finding, even when its message changed (an age check's day count grows).
public struct FindingChanges: Sendable {
    public var added: [Finding]
    public var resolved: [Finding]
    public var after: [Finding]

    public init(before: [Finding], after: [Finding]) {
        let beforeKeys = Set(before.lazy.map(\.identity)), afterKeys = Set(after.lazy.map(\.identity))
        added = after.filter { !beforeKeys.contains($0.identity) }.sorted(by: Finding.reportOrder)
        resolved = before.filter { !afterKeys.contains($0.identity) }.sorted(by: Finding.reportOrder)
        self.after = after
    }
}
