import AmigoCatalog
import AmigoCollect
import AmigoCore

/// The sink of one shard: records the whole plan (every account×region with its owner, as
/// every shard sees it), and passes on to the catalogue only what this shard owns, so that no
/// account×region is in two shards and none of another shard's looks failed or unread here.
struct ShardSink: InventorySink {
    let inner: CatalogSink
    let assignment: ShardAssignment
    var catalog: Catalog { inner.catalog }
    var scan: Int64 { inner.scan }

    func organization(_ organization: Organization?, accounts: [Account]) async throws {
        // Unlike a whole scan, no account is planned whole (`*`) before its regions are listed:
        // most of an account's regions belong to other shards. A shard killed before listing
        // them is `interrupted`, which merge refuses.
        try catalog.record(organization: organization, accounts: accounts, scan: scan)
    }

    func plan(account: String, regions: [String]) async throws {
        let refs = regions.map { RegionRef(accountId: account, region: $0) }
        try catalog.record(shardPlan: refs.map { ShardPlanEntry(region: $0, shard: assignment.owner($0)) }, scan: scan)
        try catalog.record(plan: refs.filter(assignment.owns), scan: scan)
    }

    func imageStage(account: String, region: String) -> any ImageStage {
        inner.imageStage(account: account, region: region)
    }

    func region(_ batch: RegionBatch) async throws {
        try await inner.region(batch)
    }

    func coverage(_ coverage: RegionCoverage, errors: [ScanError]) async throws {
        let ref = RegionRef(accountId: coverage.accountId, region: coverage.region)
        let owner = assignment.owner(ref)
        try catalog.record(shardPlan: [ShardPlanEntry(region: ref, shard: owner)], scan: scan)
        guard owner == assignment.spec.index else { return }
        try await inner.coverage(coverage, errors: errors)
    }

    /// An error of no one account×region (a region name that is none, an organisation listing
    /// cut short) belongs to the shard owning its account's `*`, so it is reported once.
    func errors(_ errors: [ScanError]) async throws {
        let owned = errors.filter { assignment.owns(RegionRef(accountId: $0.accountId, region: $0.region ?? "*")) }
        if !owned.isEmpty { try await inner.errors(owned) }
    }

    /// Stores the shard's identity before collection, so a shard that dies shows as one.
    static func start(_ assignment: ShardAssignment, catalog: Catalog, scan: Int64) throws {
        try catalog.record(shard: ShardRecord(scan: scan, index: assignment.spec.index, count: assignment.spec.count,
                                              basis: assignment.basis, planDigest: nil))
    }

    /// After collection: the digest of the whole plan, which every shard of the scan shares.
    static func seal(_ assignment: ShardAssignment, catalog: Catalog, scan: Int64) throws {
        let digest = ShardAssignment.planDigest(count: assignment.spec.count, basis: assignment.basis,
                                                plan: try catalog.shardPlan(scan: scan))
        try catalog.sealShard(scan: scan, planDigest: digest)
    }
}
