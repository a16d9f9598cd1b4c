import AmigoCore
import GRDB

/// An account×region's images written to the scan's own tables once its listing is complete,
/// while its per-image calls are still out (`StagedImages.Place.catalogue`).
///
/// Every account×region of an organisation finishes within the same fraction of a second
/// (each ends `(n − burst) / rate` after its first call), and their batches were then written
/// one after another on SQLite's one writer, after the last answer: 0.55–0.95 s of a 6.7 s
/// scan of 32,000 images. Written when listed, the images are in by then, and the batch adds
/// only what the per-image calls learned.
///
/// Until its batch is recorded an account×region's rows are pending: rows are part of the
/// scan only once their account×region has a coverage row, which the batch writes in the same
/// transaction as the rest. Readers pass over images without one (`InventoryReader`), a batch
/// that is dropped deletes its pending rows, and so does the end of a scan (`finishScan`,
/// `settleStaleScans`) for a run that stopped or died before its batches came.
extension Catalog {
    /// Writes one account×region's listed images, in listing order, to the scan's tables, and
    /// returns the first one's row id; the rest follow it. They are pending until the batch.
    public func prewrite(_ images: [Image], of region: RegionRef, scan: Int64) throws -> Int64 {
        let operation = "writing the \(images.count) listed images of account \(region.accountId) region \(region.region) of scan \(scan)"
        guard !images.isEmpty else { throw failure(operation, "there are no images to write") }
        if let stray = images.first(where: { $0.accountId != region.accountId || $0.region != region.region }) {
            throw failure(operation, "image \(stray.imageId) belongs to account \(stray.accountId) region \(stray.region)")
        }
        return try write(operation) { db in
            try requireRunning(db, scan: scan, operation)
            if try Self.isRecorded(region, scan: scan, db) {
                throw failure(operation, "this account×region was already recorded in this scan")
            }
            let writer = try InventoryWriter(db, scan: scan)
            let first = try writer.insert(images[0])
            for (offset, image) in images.enumerated().dropFirst() {
                // The batch finds the images by position: row `first + offset`.
                guard try writer.insert(image) == first + Int64(offset) else {
                    throw failure(operation, "its rows were not numbered one after another")
                }
            }
            return first
        }
    }

    /// Deletes an account×region's pending rows (its batch will not be recorded). Rows of an
    /// account×region already recorded are never touched.
    public func discardPrewritten(firstRow: Int64, count: Int, of region: RegionRef, scan: Int64) throws {
        try write("discarding the listed images of account \(region.accountId) region \(region.region) of scan \(scan)") { db in
            try db.execute(sql: """
                DELETE FROM image WHERE id BETWEEN ? AND ? AND scan_id = ? AND account_id = ? AND region = ?
                    AND NOT EXISTS (SELECT 1 FROM coverage c
                                    WHERE c.scan_id = ? AND c.account_id = ? AND c.region = ?)
                """, arguments: [firstRow, firstRow + Int64(count) - 1, scan, region.accountId, region.region,
                                 scan, region.accountId, region.region])
        }
    }

    /// Inside the batch's transaction: the pending rows become the batch's images, with what
    /// the per-image calls learned. Refuses rows that are not exactly the batch's listing.
    func completePrewritten(_ staged: StagedImages, firstRow: Int64, of batch: RegionBatch, scan: Int64,
                            _ db: Database, _ operation: String) throws {
        if let problem = staged.failure { throw failure(operation, "its images could not be written: \(problem)") }
        let count = staged.followUps.count
        let last = firstRow + Int64(count) - 1
        let counts = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n,
                   COUNT(*) FILTER (WHERE scan_id = ? AND account_id = ? AND region = ? AND referenced = 0) AS here
            FROM image WHERE id BETWEEN ? AND ?
            """, arguments: [scan, batch.accountId, batch.region, firstRow, last])
        let n: Int = counts?["n"] ?? 0, here: Int = counts?["here"] ?? 0
        guard count > 0, n == count, here == count else {
            throw failure(operation, "rows \(firstRow)…\(last) hold \(here) of its \(count) listed images"
                          + (n == here ? "" : " and \(n - here) of other account×regions or scans"))
        }
        // As the staging area's move does: the common follow-up never carries a last launch time
        // (the collector lists every image with one as an exception).
        let common = staged.followUps.common
        try db.execute(sql: """
            UPDATE image SET launch_permissions_collected = ?, instance_count = ?, launch_template_count = ?
            WHERE id BETWEEN ? AND ?
            """, arguments: [common.launchPermissions != nil, common.instanceCount, common.launchTemplateCount,
                             firstRow, last])
        try Self.applyOwnFollowUps(staged.followUps, firstRow: firstRow, db)
    }

    /// With the account×region's coverage, in its transaction: any of its rows but those its
    /// batch claims were written for a batch that was dropped (and whose rows could not be
    /// deleted then). The coverage makes rows visible, so it never comes with rows it does not
    /// stand for.
    static func deletePending(of coverage: RegionCoverage, scan: Int64, keeping claimed: Range<Int64>?, _ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM image WHERE scan_id = ? AND account_id = ? AND region = ? AND NOT (id >= ? AND id < ?)
            """, arguments: [scan, coverage.accountId, coverage.region,
                             claimed?.lowerBound ?? 0, claimed?.upperBound ?? 0])
    }

    /// Deletes the rows of account×regions a finished scan never recorded.
    static func deletePending(scan: Int64, _ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM image WHERE scan_id = ?
                AND (account_id, region) NOT IN (SELECT account_id, region FROM coverage WHERE scan_id = ?)
            """, arguments: [scan, scan])
    }

    static func isRecorded(_ region: RegionRef, scan: Int64, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM coverage WHERE scan_id = ? AND account_id = ? AND region = ?",
                          arguments: [scan, region.accountId, region.region]) ?? false
    }
}
