import AmigoCore
import Foundation
import GRDB

/// The scan-wide parts of an inventory: everything but the per-region images, snapshots and
/// settings, which `Catalog.forEachBatch(scan:_:)` hands out one account×region at a time.
public struct ScanOverview: Sendable {
    public var organization: Organization?
    public var accounts: [Account]
    public var coverage: [RegionCoverage]
    public var errors: [ScanError]
}

extension Catalog {
    /// A scan's organisation, accounts, coverage and errors, as `inventory(scan:)` has them.
    public func overview(scan: Int64) throws -> ScanOverview {
        let operation = "reading the overview of scan \(scan)"
        return try read(operation) { db in
            let reader = try Self.reader(db, scan: scan, fail: { self.failure(operation, $0) })
            return ScanOverview(organization: try reader.organization(), accounts: try reader.accounts(),
                                coverage: try reader.coverage(), errors: try reader.errors())
        }
    }

    /// A scan's inventory one account×region at a time, so it is never all in memory: each
    /// batch has that region's images (with tags, devices, permissions), snapshots, settings,
    /// coverage and region-level errors. Account×regions come in the order their images were
    /// recorded (so the images come in `inventory(scan:)` order, batches being written whole),
    /// then those without images. `body` must not use this catalogue (reads are still open
    /// while it runs).
    ///
    /// A finished scan in a catalogue file is read by `readers` connections at once (by default
    /// one per core, at most four), each a batch ahead of `body`: reading was three quarters of
    /// judging a stored scan, all of it on one core while the others waited (perf, 2026-12-03).
    /// A finished scan's rows never change, so every connection reads the same batches. A
    /// running scan, or an in-memory catalogue, is read by one connection from one consistent
    /// snapshot.
    public func forEachBatch(scan: Int64, readers: Int? = nil, _ body: (RegionBatch) -> Void) throws {
        try forEachBatch(scan: scan, readers: readers, known: []) { item in
            if case .read(let batch) = item { body(batch) }
        }
    }

    /// One account×region of a scan, in `forEachBatch`'s order: read, or one the caller
    /// already has (`known`), which is not read.
    public enum StoredBatch: Sendable {
        case read(RegionBatch)
        case known(RegionRef)
    }

    /// `forEachBatch`, passing over the account×regions in `known` without reading them.
    public func forEachBatch(scan: Int64, readers: Int? = nil, known: Set<RegionRef>,
                             _ body: (StoredBatch) -> Void) throws {
        let operation = "reading the inventory of scan \(scan) region by region"
        let readers = readers ?? min(4, ProcessInfo.processInfo.activeProcessorCount)
        @Sendable func item(_ region: RegionRef, _ reader: InventoryReader) throws -> StoredBatch {
            known.contains(region) ? .known(region) : .read(try Self.batch(region, reader))
        }
        // Read here, in this one transaction, unless the scan can be shared out among readers.
        let shared: [RegionRef]? = try read(operation) { db in
            let reader = try Self.reader(db, scan: scan, fail: { self.failure(operation, $0) })
            let regions = try Self.regions(db, scan: scan)
            if writer is DatabasePool, readers > 1, regions.count - known.count > 1,
               try String.fetchOne(db, sql: "SELECT status FROM scan WHERE id = ?", arguments: [scan])
                   != ScanStatus.running.rawValue {
                return regions
            }
            for region in regions { body(try item(region, reader)) }
            return nil
        }
        guard let regions = shared, let pool = writer as? DatabasePool else { return }
        try OrderedPrefetch.run(count: regions.count, workers: readers, session: { work in
            try self.read(operation) { db in
                try work(InventoryReader(db: db, scan: scan, fail: { self.failure(operation, $0) }))
            }
        }, make: { reader, index in
            try item(regions[index], reader)
        }, consume: body)
        // Each extra connection keeps up to `cache_size` of pages; the reports come next.
        pool.releaseMemoryEventually()
    }

    /// One account×region of a scan, as `forEachBatch` reads it.
    public func batch(scan: Int64, region: RegionRef) throws -> RegionBatch {
        let operation = "reading account \(region.accountId) region \(region.region) of scan \(scan)"
        return try read(operation) { db in
            try Self.batch(region, try Self.reader(db, scan: scan, fail: { self.failure(operation, $0) }))
        }
    }

    /// How many rows of each kind every account×region of a scan has: rows are only ever
    /// added, so equal counts mean a batch read earlier is the batch now. Images are counted
    /// from their index, referenced ones (which `forEachBatch` leaves out) included: a batch of
    /// a scan that has any then never counts as unchanged.
    public func rowCounts(scan: Int64) throws -> [RegionRef: RegionRowCounts] {
        try read("counting the rows of scan \(scan) by account×region") { db in
            var counts: [RegionRef: RegionRowCounts] = [:]
            let tables: [(String, WritableKeyPath<RegionRowCounts, Int>)] = [
                ("image WHERE scan_id = ?", \.images), ("snapshot WHERE scan_id = ?", \.snapshots),
                ("region_settings WHERE scan_id = ?", \.settings), ("coverage WHERE scan_id = ?", \.coverage),
                ("scan_error WHERE scan_id = ? AND region IS NOT NULL", \.errors),
            ]
            for (table, field) in tables {
                for row in try Row.fetchAll(db, sql: "SELECT account_id, region, COUNT(*) FROM \(table) GROUP BY account_id, region",
                                            arguments: [scan]) {
                    counts[RegionRef(accountId: row[0], region: row[1]), default: RegionRowCounts()][keyPath: field] = row[2]
                }
            }
            return counts
        }
    }

    private static func batch(_ region: RegionRef, _ scanReader: InventoryReader) throws -> RegionBatch {
        var reader = scanReader
        reader.only = region
        let coverage = try reader.coverage()
        return RegionBatch(accountId: region.accountId, region: region.region, images: try reader.images(),
                           snapshots: try reader.snapshots(), settings: try reader.regionSettings().first,
                           workloads: try reader.workloads(), referencedImages: try reader.referencedImages(),
                           coverage: coverage.first, errors: try reader.errors())
    }

    private static func reader(_ db: Database, scan: Int64, fail: @escaping (String) -> CatalogError) throws -> InventoryReader {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM scan WHERE id = ?", arguments: [scan]) ?? false else {
            throw fail("there is no scan \(scan)")
        }
        return InventoryReader(db: db, scan: scan, fail: fail)
    }

    /// Every account×region the scan holds anything about, in the order described above.
    private static func regions(_ db: Database, scan: Int64) throws -> [RegionRef] {
        var seen: Set<RegionRef> = []
        var ordered: [RegionRef] = []
        for sql in ["SELECT account_id, region FROM image i WHERE scan_id = ? AND \(InventoryReader.recorded("i")) GROUP BY account_id, region ORDER BY MIN(id)",
                    "SELECT account_id, region FROM coverage WHERE scan_id = ? ORDER BY rowid",
                    "SELECT account_id, region FROM region_settings WHERE scan_id = ? ORDER BY rowid",
                    "SELECT account_id, region FROM snapshot WHERE scan_id = ? GROUP BY account_id, region ORDER BY MIN(id)",
                    "SELECT account_id, region FROM scan_error WHERE scan_id = ? AND region IS NOT NULL ORDER BY id"] {
            for row in try Row.fetchAll(db, sql: sql, arguments: [scan]) {
                let region = RegionRef(accountId: row[0], region: row[1])
                if seen.insert(region).inserted { ordered.append(region) }
            }
        }
        return ordered
    }
}

/// The rows one account×region has in a scan, by kind (`Catalog.rowCounts(scan:)`).
public struct RegionRowCounts: Sendable, Hashable {
    public var images = 0, snapshots = 0, settings = 0, coverage = 0, errors = 0

    public init() {}

    /// The rows `batch`, as `forEachBatch` read it, stands for.
    public init(_ batch: RegionBatch) {
        images = batch.images.count
        snapshots = batch.snapshots.count
        settings = batch.settings == nil ? 0 : 1
        coverage = 1
        errors = batch.errors.count
    }
}
