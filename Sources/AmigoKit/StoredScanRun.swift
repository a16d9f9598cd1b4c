import AmigoCatalog
import AmigoCore
import Foundation

/// `amigo evaluate` and `amigo report`: work on a scan already in the catalogue, no AWS.
public struct StoredScanRun: Sendable {
    public var catalogPath: String
    public var scanID: Int64?
    public var policyFiles: [URL]
    public var asOf: Date?
    public var output: OutputSettings
    /// Renders as if the scan had run and been reported at this moment: for the committed
    /// sample reports, which must not change between runs.
    public var pinnedTime: Date?

    public init(catalogPath: String, scanID: Int64?, policyFiles: [URL], asOf: Date?, output: OutputSettings,
                pinnedTime: Date? = nil) {
        self.catalogPath = catalogPath; self.scanID = scanID; self.policyFiles = policyFiles
        self.asOf = asOf; self.output = output; self.pinnedTime = pinnedTime
    }

    /// Evaluates the scan against the given policy files (default: the shipped baseline) and
    /// stores the findings with it.
    public func evaluate(console: Console) async -> ExitStatus {
        await run(console: console) { catalog, id, info in
            let policies = try PolicyFiles.load(policyFiles)
            return try Evaluation.run(catalog: catalog, scan: id, policies: policies.set,
                                      asOf: asOf ?? info.asOf)
        }
    }

    /// Renders the scan as it was evaluated: its stored policies and as-of time, unless
    /// `--policies`/`--as-of` say otherwise.
    public func report(console: Console) async -> ExitStatus {
        await run(console: console) { catalog, id, info in
            let policies: PolicyFiles
            if !policyFiles.isEmpty {
                policies = try PolicyFiles.load(policyFiles)
            } else if let stored = try catalog.policyText(scan: id) {
                policies = try PolicyFiles.load(stored: stored)
            } else {
                policies = try PolicyFiles.load([])
            }
            return try Evaluation.run(catalog: catalog, scan: id, policies: policies.set,
                                      asOf: asOf ?? info.asOf, store: false)
        }
    }

    private func run(console: Console, _ evaluate: (Catalog, Int64, ScanInfo) throws -> Report) async -> ExitStatus {
        await console.outcome(otherwise: .usage) {
            try ReportWriter.validate(formats: output.formats)
            guard FileManager.default.fileExists(atPath: catalogPath) else {
                throw UsageError("no catalogue at \(catalogPath) (run `amigo collect` or `amigo scan` first)")
            }
            let catalog: Catalog
            do { catalog = try Catalog(path: catalogPath) } catch {
                throw UsageError("cannot open catalogue \(catalogPath): \(error)")
            }
            guard let id = try scanID ?? catalog.latestScanID(completeOnly: false) else {
                throw UsageError("the catalogue \(catalogPath) holds no scan")
            }
            guard let info = try catalog.scanInfo(id) else {
                throw UsageError("no scan \(id) in \(catalogPath); `amigo scans --catalog \(catalogPath)` lists them")
            }
            var report = try evaluate(catalog, id, info)
            if let pinnedTime {
                report.scan.startedAt = pinnedTime
                report.scan.finishedAt = pinnedTime
            }
            return try Evaluation.finish(report, catalog: catalog, output: output, console: console)
        }
    }
}
