import AmigoCatalog
import AmigoCore
import Foundation

/// `amigo evaluate` and `amigo report`: work on a scan already in the catalogue, no AWS.
public struct StoredScanRun: Sendable {
    public var catalogPath: String
    public var scanID: Int64?
    /// For `report`: which evaluation (default: the latest of the scan).
    public var evaluationID: Int64?
    public var policyFiles: [URL]
    public var asOf: Date?
    public var output: OutputSettings
    /// Renders as if the scan had run and been reported at this moment: for the committed
    /// sample reports, which must not change between runs.
    public var pinnedTime: Date?
    /// `--framework`: for evaluate, add these frameworks' policies; for both, their rollup.
    public var frameworks: [String] = []
    public init(catalogPath: String, scanID: Int64?, evaluationID: Int64? = nil, policyFiles: [URL] = [],
                asOf: Date? = nil, output: OutputSettings, pinnedTime: Date? = nil) {
        self.catalogPath = catalogPath; self.scanID = scanID; self.evaluationID = evaluationID
        self.policyFiles = policyFiles; self.asOf = asOf; self.output = output; self.pinnedTime = pinnedTime
    }

    /// Evaluates the scan against the given policy files (default: the shipped baseline) and
    /// stores the outcome as a new evaluation of it.
    public func evaluate(console: Console) async -> ExitStatus {
        await run(console: console) { catalog, id, info in
            let policies = try PolicyFiles.load(policyFiles, frameworks: frameworks)
            return try Evaluation.run(catalog: catalog, scan: id, policies: policies, asOf: asOf ?? info.asOf)
        }
    }

    /// Renders a stored evaluation exactly as it was stored (default: the scan's latest).
    public func report(console: Console) async -> ExitStatus {
        await run(console: console) { catalog, id, info in
            let evaluation = try Self.evaluation(evaluationID, of: id, in: catalog, path: catalogPath)
            return try Evaluation.render(catalog: catalog, evaluation: evaluation, frameworks: frameworks)
        }
    }

    /// The evaluation asked for, which must belong to `scan`, or the scan's latest.
    static func evaluation(_ requested: Int64?, of scan: Int64, in catalog: Catalog, path: String) throws -> EvaluationInfo {
        if let requested {
            guard let evaluation = try catalog.evaluationInfo(requested) else {
                throw UsageError("no evaluation \(requested) in \(path); `amigo scans --catalog \(path)` lists them")
            }
            guard evaluation.scanId == scan else {
                throw UsageError("evaluation \(requested) belongs to scan \(evaluation.scanId), not scan \(scan)")
            }
            return evaluation
        }
        guard let latest = try catalog.evaluations(scan: scan).last else {
            throw UsageError("scan \(scan) has not been evaluated; run `amigo evaluate --catalog \(path) --scan \(scan)`")
        }
        return latest
    }

    private func run(console: Console, _ evaluate: (Catalog, Int64, ScanInfo) throws -> Report) async -> ExitStatus {
        await console.outcome(otherwise: .usage) {
            try ReportWriter.validate(output)
            let catalog = try Self.open(catalogPath)
            let (id, info) = try Self.scan(scanID, evaluation: evaluationID, in: catalog, path: catalogPath)
            var report = try evaluate(catalog, id, info)
            if let pinnedTime {
                report.scan.startedAt = pinnedTime
                report.scan.finishedAt = pinnedTime
                report.evaluation?.evaluatedAt = pinnedTime
            }
            return try Evaluation.finish(report, catalog: catalog, output: output, console: console)
        }
    }

    /// The scan asked for (or the one the evaluation asked for belongs to), else the latest finished.
    static func scan(_ requested: Int64?, evaluation: Int64?, in catalog: Catalog, path: String) throws -> (Int64, ScanInfo) {
        let requestedScan = try requested ?? evaluation.flatMap { try catalog.evaluationInfo($0)?.scanId }
        guard let id = try requestedScan ?? catalog.latestScanID(completeOnly: false) else {
            throw UsageError("the catalogue \(path) holds no finished scan")
        }
        guard let info = try catalog.scanInfo(id) else {
            throw UsageError("no scan \(id) in \(path); `amigo scans --catalog \(path)` lists them")
        }
        return (id, info)
    }

    /// Opens an existing catalogue; scans a dead process left `running` become `interrupted`.
    static func open(_ path: String) throws -> Catalog {
        guard FileManager.default.fileExists(atPath: path) else {
            throw UsageError("no catalogue at \(path) (run `amigo collect` or `amigo scan` first)")
        }
        let catalog: Catalog
        do { catalog = try Catalog(path: path) } catch {
            throw UsageError("cannot open catalogue \(path): \(error)")
        }
        try catalog.settleStaleScans()
        return catalog
    }
}
