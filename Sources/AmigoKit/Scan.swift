import AmigoAWS
import AmigoCatalog
import AmigoCollect
import AmigoCore
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// `amigo scan` and `amigo collect`: read AWS (or recorded fixtures) into a new scan of the
/// catalogue, then, for scan, evaluate and report.
public struct ScanRun: Sendable {
    public var policyFiles: [URL]
    public var catalogPath: String
    public var asOf: Date?
    public var source: SourceSettings
    public var output: OutputSettings
    public var log: LogSettings
    /// `--framework`: add these frameworks' policies and their per-control rollup.
    public var frameworks: [String] = []

    public init(policyFiles: [URL], catalogPath: String, asOf: Date?, source: SourceSettings,
                output: OutputSettings, log: LogSettings) {
        self.policyFiles = policyFiles; self.catalogPath = catalogPath; self.asOf = asOf
        self.source = source; self.output = output; self.log = log
    }

    /// Collects, evaluates, writes reports, prints the summary; returns the exit status.
    public func scan(console: Console) async -> ExitStatus {
        await console.outcome(otherwise: .incomplete) {
            let policies = try PolicyFiles.load(policyFiles, frameworks: frameworks)
            try ReportWriter.validate(output)
            // A scan that reads workloads is judged once all are in (an image's usage is organisation-wide).
            let judgeWhileCollecting = !source.collectFull && !policies.set.collectsWorkloads
            let (scanID, catalog, asOf, stop, prejudged) = try await collect(
                needs: policies.set.needs, policyText: policies.text, console: console,
                judging: judgeWhileCollecting ? policies.set : nil)
            releaseFreedMemory()
            let evaluated = try Evaluation.run(catalog: catalog, scan: scanID, policies: policies, asOf: asOf,
                                               prejudged: prejudged)
            let status = try Evaluation.finish(evaluated, catalog: catalog, output: output, console: console)
            return stop.map { ExitStatus.stopped(by: $0) } ?? status
        }
    }

    /// Collects only: the catalogue gets a new scan; exit 3 if anything could not be read.
    public func collectOnly(console: Console) async -> ExitStatus {
        await console.outcome(otherwise: .incomplete) {
            let policies = try PolicyFiles.load(policyFiles, frameworks: frameworks)
            let (scanID, catalog, _, stop, _) = try await collect(needs: policies.set.needs, policyText: policies.text,
                                                                  console: console)
            let info = try catalog.scanInfo(scanID)
            let overview = try catalog.overview(scan: scanID)
            let read = overview.coverage.filter { $0.status == .scanned || $0.status == .partial }
            let images = read.reduce(0) { $0 + $1.imageCount }
            console.out("scan \(scanID): \(images) images in \(read.count) account×regions, \(overview.errors.count) scan errors → \(catalogPath)")
            if let stop { return ExitStatus.stopped(by: stop) }
            return info?.status.isComplete == true || output.allowPartial ? .clean : .incomplete
        }
    }

    /// Collects into a new scan. A SIGINT or SIGTERM stops it cleanly: in-flight calls are
    /// cancelled, what was read whole is kept, the scan is marked `interrupted`, and the signal
    /// is returned so the caller exits 130 or 143 (after writing reports, if asked for).
    /// `judging`: policies to judge each account×region with as soon as it is written
    /// (`Prejudging`), for the evaluation that follows.
    func collect(needs: Set<DataNeed>, policyText: String, console: Console,
                 judging: PolicySet? = nil) async throws -> (Int64, Catalog, Date, Int32?, Prejudging?) {
        let logger = LogSetup.make(log, console: console)
        let stats = RequestStats()
        let session = try await AWSSession.make(source, stats: stats, logger: logger)
        let asOf = self.asOf ?? session.recordedAt ?? Date()
        let catalog: Catalog
        do { catalog = try Catalog(path: catalogPath) } catch {
            throw UsageError("cannot open catalogue \(catalogPath): \(error)")
        }
        let startedAt = Date()
        try catalog.settleStaleScans()
        if source.shard != nil && self.asOf == nil && session.recordedAt == nil {
            throw UsageError("--shard needs --as-of: every shard of a scan must judge the same moment")
        }
        let assignment = try source.shard.map { ShardAssignment(spec: $0, weights: try catalog.shardWeights()) }
        let scanID = try catalog.startScan(startedAt: startedAt, asOf: asOf,
                                           source: source.fixtures.map { "replay:\($0.lastPathComponent)" } ?? "live",
                                           policyText: policyText, options: describeOptions())
        var plan = CollectionPlan(accounts: source.accounts, excludeAccounts: Set(source.excludeAccounts),
                                  organizationalUnits: source.organizationalUnits,
                                  regions: source.regions, needs: source.collectFull ? Set(DataNeed.allCases) : needs,
                                  roleName: source.roleName, externalId: source.externalId,
                                  homeRegion: session.homeRegion, regionConcurrency: source.concurrency)
        plan.excludeRegions = Set(source.excludeRegions)
        if let assignment {
            try ShardSink.start(assignment, catalog: catalog, scan: scanID)
            plan.regionFilter = { assignment.owns(RegionRef(accountId: $0, region: $1)) }
        }
        if source.fixtures != nil { plan.pacing = nil }
        let progress = AmigoCollect.Progress()
        let display = ProgressDisplay(progress: progress, stats: stats, console: console, quiet: log.quiet)
        let ticker = Task { await display.run() }
        let collector = Collector(client: session.client, credentials: session.credentials, plan: plan,
                                  progress: progress, logger: logger)
        var fatal: AWSError?
        let stopping = StopFlag()
        let prejudging = judging.map { Prejudging(catalog: catalog, scan: scanID, policies: $0, asOf: asOf) }
        let wholeSink = CatalogSink(catalog: catalog, scan: scanID, stopping: stopping, prejudging: prejudging)
        let sink: any InventorySink = assignment.map { ShardSink(inner: wholeSink, assignment: $0) } ?? wholeSink
        let collection = Task { () async -> AWSError? in
            do throws(AWSError) {
                try await collector.run(into: sink)
                return nil
            } catch { return error }
        }
        let signals = SignalWatch([SIGINT, SIGTERM]) { signal in
            stopping.set(signal)
            collection.cancel()
        }
        let failure = await collection.value
        signals.stop()
        let stop = stopping.isSet ? stopping.signal : nil
        if let stop {
            console.err("interrupted by \(stop == SIGINT ? "SIGINT" : "SIGTERM"): stopping the scan; account×regions not read in full are reported as not read")
        } else if let error = failure {
            fatal = error
            try catalog.record(errors: [ScanError(accountId: "*", region: error.region,
                                                  operation: "\(error.service):\(error.operation)",
                                                  code: error.code, message: error.message)], scan: scanID)
            try catalog.record(coverage: RegionCoverage(accountId: "*", region: "*", status: .failed,
                                                        reason: "\(error.service):\(error.operation) failed"),
                               scan: scanID)
        }
        ticker.cancel()
        display.finish()
        if let recorder = session.recorder {
            do { try recorder.flush() } catch { console.err("warning: could not write the recording's index: " + InertText.line(String(describing: error))) }
        }
        let overview = try catalog.overview(scan: scanID)
        let unread = try catalog.unread(scan: scanID)
        let incomplete = fatal != nil || !overview.errors.isEmpty
            || overview.coverage.contains { $0.status == .failed || $0.status == .partial }
            || !unread.isEmpty
        let status: ScanStatus = stop != nil ? .interrupted : incomplete ? .partial : .complete
        // A shard whose collection was stopped or failed whole never saw the whole plan.
        if let assignment, stop == nil, fatal == nil { try ShardSink.seal(assignment, catalog: catalog, scan: scanID) }
        try catalog.finishScan(scanID, finishedAt: Date(), status: status)
        if let fatal { console.err("error: " + InertText.line(fatal.description)) }
        return (scanID, catalog, asOf, stop, prejudging)
    }

    /// In a scan's stored options when it collected everything (`Evaluation` reads it back).
    static let collectFullOption = "collect=full"

    func describeOptions() -> String {
        var parts: [String] = []
        switch source.accounts {
        case .caller: parts.append("accounts=caller")
        case .organization: parts.append("accounts=organization")
        case .list(let ids): parts.append("accounts=\(ids.joined(separator: ","))")
        }
        if let regions = source.regions { parts.append("regions=\(regions.joined(separator: ","))") }
        if !source.excludeRegions.isEmpty { parts.append("exclude-regions=\(source.excludeRegions.joined(separator: ","))") }
        if source.collectFull { parts.append(Self.collectFullOption) }
        return parts.joined(separator: " ")
    }
}

/// Hands the heap the collection freed back to the system while the evaluation starts: a
/// million answers leave glibc's arenas fragmented, and what they keep would otherwise count
/// under the evaluation's peak (986 MB at 1,000,000 images without this). The trim locks one
/// arena at a time, so an allocation waits at most for one arena's trim: on its own thread it
/// runs beside the evaluation's first batches instead of before them (15–40 ms at 32,000 images).
/// (`malloc_trim` is not in Swift's Glibc module, so it is looked up: RTLD_DEFAULT is nil.)
func releaseFreedMemory() {
    #if canImport(Glibc)
    typealias MallocTrim = @convention(c) (Int) -> Int32
    guard let symbol = dlsym(nil, "malloc_trim") else { return }
    let trim = unsafeBitCast(symbol, to: MallocTrim.self)
    Thread.detachNewThread { _ = trim(0) }
    #endif
}
