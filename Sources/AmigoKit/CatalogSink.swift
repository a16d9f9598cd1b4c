import AmigoCatalog
import AmigoCollect
import AmigoCore
import Synchronization

/// Writes what the collectors deliver straight into the catalogue, one transaction per
/// account×region, so nothing collected is lost when a later region fails or the run dies.
struct CatalogSink: InventorySink {
    let catalog: Catalog
    let scan: Int64
    /// Set once the run is told to stop: from then on only account×regions read whole are
    /// kept; the ones cut short stay "not read" rather than look like AWS failures.
    let stopping: StopFlag

    func organization(_ organization: Organization?, accounts: [Account]) async throws {
        try catalog.record(organization: organization, accounts: accounts, scan: scan)
        // Until an account's regions are listed, the whole account is planned.
        try catalog.record(plan: accounts.map { RegionRef(accountId: $0.id, region: "*") }, scan: scan)
    }

    func plan(account: String, regions: [String]) async throws {
        try catalog.record(plan: regions.map { RegionRef(accountId: account, region: $0) }, scan: scan)
    }

    func imageStage(account: String, region: String) -> any ImageStage {
        CatalogImageStage(catalog: catalog, scan: scan)
    }

    func region(_ batch: RegionBatch) async throws {
        do {
            if stopping.isSet && !batch.errors.isEmpty {
                discard(batch)
                return
            }
            try catalog.record(batch, scan: scan)
        } catch {
            discard(batch)
            throw error
        }
    }

    private func discard(_ batch: RegionBatch) {
        if let stage = batch.staged?.stage { CatalogImageStage.discard(stage, in: catalog) }
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

/// Stages an account×region's images in the catalogue's staging area, page by page.
final class CatalogImageStage: ImageStage {
    let catalog: Catalog
    let scan: Int64
    let key: Int64
    private let state = Mutex<(staged: Int, failure: String?)>((0, nil))

    init(catalog: Catalog, scan: Int64) {
        self.catalog = catalog
        self.scan = scan
        key = catalog.newStage()
    }

    func add(_ page: [Image]) {
        guard !page.isEmpty else { return }
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

    func seal(_ followUps: ImageFollowUps) -> (images: [Image], staged: StagedImages?) {
        let (staged, failure) = state.withLock { ($0.staged, $0.failure) }
        let mismatch = staged == followUps.count ? nil : "\(staged) images staged, \(followUps.count) listed"
        return ([], StagedImages(stage: key, followUps: followUps, failure: failure ?? mismatch))
    }

    func discard() { Self.discard(key, in: catalog) }

    static func discard(_ stage: Int64, in catalog: Catalog) {
        do {
            try catalog.discardStage(stage)
        } catch {
            // Nothing is lost or misreported: a stage never moved is never part of the scan,
            // and its rows go with the connection.
        }
    }
}
