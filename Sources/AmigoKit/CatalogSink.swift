import AmigoCatalog
import AmigoCollect
import AmigoCore
import Dispatch
import Synchronization

/// Writes what the collectors deliver straight into the catalogue, each account×region whole
/// or not at all (`BatchRecorder`), so nothing collected is lost when a later region fails or
/// the run dies.
struct CatalogSink: InventorySink {
    let catalog: Catalog
    let scan: Int64
    /// Set once the run is told to stop: from then on only account×regions read whole are
    /// kept; the ones cut short stay "not read" rather than look like AWS failures.
    let stopping: StopFlag
    /// Shared by the scan's account×regions.
    let inMemoryImages: ImageBudget
    let batches: BatchRecorder
    /// Told of each batch once it is written.
    let prejudging: Prejudging?

    init(catalog: Catalog, scan: Int64, stopping: StopFlag, prejudging: Prejudging? = nil,
         imageLimit: Int = CatalogImageStage.inMemoryLimit) {
        self.catalog = catalog
        self.scan = scan
        self.stopping = stopping
        self.prejudging = prejudging
        inMemoryImages = ImageBudget(limit: imageLimit)
        batches = BatchRecorder(catalog: catalog, scan: scan)
    }

    func organization(_ organization: Organization?, accounts: [Account]) async throws {
        try catalog.record(organization: organization, accounts: accounts, scan: scan)
        // Until an account's regions are listed, the whole account is planned.
        try catalog.record(plan: accounts.map { RegionRef(accountId: $0.id, region: "*") }, scan: scan)
    }

    func plan(account: String, regions: [String]) async throws {
        try catalog.record(plan: regions.map { RegionRef(accountId: account, region: $0) }, scan: scan)
    }

    func imageStage(account: String, region: String) -> any ImageStage {
        CatalogImageStage(catalog: catalog, scan: scan, budget: inMemoryImages,
                          region: RegionRef(accountId: account, region: region))
    }

    func region(_ batch: RegionBatch) async throws {
        defer { inMemoryImages.releaseSealed(RegionRef(accountId: batch.accountId, region: batch.region)) }
        do {
            if stopping.isSet && !batch.errors.isEmpty {
                discard(batch)
                return
            }
            try await batches.record(batch)
            prejudging?.committed(RegionRef(accountId: batch.accountId, region: batch.region))
        } catch {
            discard(batch)
            throw error
        }
    }

    private func discard(_ batch: RegionBatch) {
        guard let staged = batch.staged else { return }
        switch staged.place {
        case .staging: CatalogImageStage.discard(staged.stage, in: catalog)
        case .catalogue(let firstRow):
            CatalogImageStage.discardWritten(firstRow: firstRow, count: staged.followUps.count,
                                             of: RegionRef(accountId: batch.accountId, region: batch.region),
                                             scan: scan, in: catalog)
        }
    }

    func coverage(_ coverage: RegionCoverage, errors: [ScanError]) async throws {
        if stopping.isSet && coverage.status == .failed { return }
        try catalog.record(coverage: coverage, scan: scan)
        if !errors.isEmpty { try catalog.record(errors: errors, scan: scan) }
    }

    func errors(_ errors: [ScanError]) async throws {
        try catalog.record(errors: errors, scan: scan)
    }
}

final class StopFlag: Sendable {
    private let value = Atomic<Int32>(0)
    /// The signal that stopped the run, or 0.
    var signal: Int32 { value.load(ordering: .acquiring) }
    var isSet: Bool { signal != 0 }
    func set(_ signal: Int32) { value.store(signal, ordering: .releasing) }
}

/// How many listed images the stages of a scan keep in memory, all together: a scan of an
/// organisation that fits is not slowed by staging at all.
final class ImageBudget: Sendable {
    let limit: Int
    private let held = Atomic<Int>(0)
    /// Images of sealed batches, by account×region. They stay counted until their batch is
    /// written or dropped: batches wait for the catalogue's writer, and every account×region
    /// of a scan finishes within the same second.
    private let sealed = Mutex<[RegionRef: Int]>([:])

    init(limit: Int) { self.limit = limit }

    func reserve(_ count: Int) -> Bool {
        var current = held.load(ordering: .relaxed)
        while current + count <= limit {
            let (exchanged, original) = held.compareExchange(expected: current, desired: current + count, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func release(_ count: Int) { if count > 0 { held.subtract(count, ordering: .relaxed) } }

    func seal(_ count: Int, of region: RegionRef) {
        if count > 0 { sealed.withLock { $0[region, default: 0] += count } }
    }

    func releaseSealed(_ region: RegionRef) {
        release(sealed.withLock { $0.removeValue(forKey: region) } ?? 0)
    }
}

/// An account×region's images: in memory while the scan's `ImageBudget` allows, and from the
/// first page it does not, in the catalogue's staging area page by page, so an organisation
/// of any size holds at most the budget's images (~1.1 KB each) while the per-image calls are
/// answered. The batch then carries the images kept in memory (listed first) and the staged
/// rest, which the catalogue writes in that order.
///
/// A listing kept whole in memory is written to the scan's tables as soon as it is complete
/// (`Catalog.prewrite`), while its per-image calls are still out, and leaves memory; the batch
/// then adds what those calls learned (`StagedImages.Place.catalogue`). Every account×region
/// finishes within the same fraction of a second, and SQLite has one writer: written whole at
/// the end, the 168 batches of a 32,000-image scan took 0.55–0.95 s after its last answer.
///
/// Pages are staged on a queue of their own, not on the task that listed them: the first
/// pages of every account×region arrive together, while their first bursts of per-image calls
/// are on the wire, and answers that wait for a pool thread held by a catalogue write upset
/// the pacing (19–40 throttled answers a run on 20 × 8 × 200 when every page was staged from
/// the listing task). At most `queuedPages` pages wait to be written; a listing that gets
/// further ahead waits for them.
final class CatalogImageStage: ImageStage {
    /// ~55 MB of decoded images.
    static let inMemoryLimit = 50_000
    static let writes = DispatchQueue(label: "amigo.catalog.staging")
    static let queuedPages = 16
    private static let queueSlots = DispatchSemaphore(value: queuedPages)

    struct State {
        var held: [Image] = []
        var spilled = false
        var staged = 0
        var failure: String?
        /// The listing was handed to the writes queue to be written whole (`listed()`).
        var writingListing = false
        /// Where it was written, once it was: the first row and how many.
        var written: (firstRow: Int64, count: Int)?
    }

    let catalog: Catalog
    let scan: Int64
    let key: Int64
    let budget: ImageBudget
    let region: RegionRef
    private let state = Mutex(State())

    init(catalog: Catalog, scan: Int64, budget: ImageBudget, region: RegionRef) {
        self.catalog = catalog
        self.scan = scan
        self.budget = budget
        self.region = region
        key = catalog.newStage()
    }

    func add(_ page: [Image]) {
        guard !page.isEmpty else { return }
        // Once a page is staged every later one is too, so the images in memory are the
        // listing's first ones.
        let kept = state.withLock { state in
            guard !state.spilled, budget.reserve(page.count) else { state.spilled = true; return false }
            state.held += page
            return true
        }
        if kept { return }
        Self.queueSlots.wait()
        Self.writes.async { [self] in
            defer { Self.queueSlots.signal() }
            state.withLock { state in
                guard state.failure == nil else { return }
                do {
                    try catalog.stage(page, stage: key, from: state.staged, scan: scan)
                    state.staged += page.count
                } catch {
                    state.failure = String(describing: error)
                }
            }
        }
    }

    func listed() {
        let listing: [Image]? = state.withLock { state in
            guard !state.spilled, !state.held.isEmpty else { return nil }
            state.writingListing = true
            return state.held
        }
        guard let listing else { return }
        Self.writes.async { [self] in
            do {
                let first = try catalog.prewrite(listing, of: region, scan: scan)
                state.withLock { state in
                    state.written = (first, listing.count)
                    state.held = []
                }
                budget.release(listing.count)
            } catch {
                // Nothing is lost: the images stay in memory and the batch carries them, as it
                // would have without this write; if the catalogue cannot take them, the batch's
                // own write fails and says so.
            }
        }
    }

    func seal(_ followUps: ImageFollowUps) -> (images: [Image], staged: StagedImages?) {
        // Only a stage with pages (or its listing) on the queue waits for it.
        if state.withLock({ $0.spilled || $0.writingListing }) { Self.writes.sync {} }
        if let written = state.withLock({ $0.written }) {
            let mismatch = written.count == followUps.count ? nil
                : "\(written.count) images written, \(followUps.count) listed"
            return ([], StagedImages(stage: key, followUps: followUps, failure: mismatch,
                                     place: .catalogue(firstRow: written.firstRow)))
        }
        let (held, spilled, staged, failure) = state.withLock { state in
            defer { state.held = [] }
            return (state.held, state.spilled, state.staged, state.failure)
        }
        budget.seal(held.count, of: region)
        let inline = followUps.applied(to: held)
        let rest = followUps.dropping(first: held.count)
        guard spilled || rest.count != 0 else { return (inline, nil) }
        let mismatch = staged == rest.count ? nil
            : "\(held.count + staged) images kept, \(followUps.count) listed"
        return (inline, StagedImages(stage: key, followUps: rest, failure: failure ?? mismatch, place: .staging))
    }

    func discard() {
        if state.withLock({ $0.writingListing }) { Self.writes.sync {} }
        let (held, spilled, written) = state.withLock { state in
            defer { state.held = []; state.written = nil }
            return (state.held.count, state.spilled, state.written)
        }
        budget.release(held)
        budget.releaseSealed(region)
        if spilled { Self.discard(key, in: catalog) }
        if let written {
            Self.discardWritten(firstRow: written.firstRow, count: written.count, of: region, scan: scan, in: catalog)
        }
    }

    /// Now, before the account×region's coverage can be recorded without its batch: until
    /// then the rows are pending and no reader sees them.
    static func discardWritten(firstRow: Int64, count: Int, of region: RegionRef, scan: Int64, in catalog: Catalog) {
        writes.sync {
            do {
                try catalog.discardPrewritten(firstRow: firstRow, count: count, of: region, scan: scan)
            } catch {
                // Nothing is misreported: pending rows are never read, and the end of the scan
                // deletes them (`Catalog.finishScan`).
            }
        }
    }

    /// After the stage's queued pages, so none is written after its stage is dropped.
    static func discard(_ stage: Int64, in catalog: Catalog) {
        writes.async {
            do {
                try catalog.discardStage(stage)
            } catch {
                // Nothing is lost or misreported: a stage never moved is never part of the
                // scan, and its rows go with the connection.
            }
        }
    }
}
