import AmigoCore
import Foundation
import GRDB

/// Which shard of a larger scan a scan is, and what it was cut from.
public struct ShardRecord: Sendable, Hashable {
    public var scan: Int64
    /// 1-based, as `--shard I/N` says it.
    public var index: Int
    public var count: Int
    /// What the shares were balanced by: `hash`, or the previous scan's image counts (their digest).
    public var basis: String
    /// nil until the shard's collection ended: a shard without one never finished its plan.
    public var planDigest: String?
    public init(scan: Int64, index: Int, count: Int, basis: String, planDigest: String?) {
        self.scan = scan; self.index = index; self.count = count; self.basis = basis; self.planDigest = planDigest
    }
}

/// One account×region of the whole plan and the shard (1-based) that reads it.
public struct ShardPlanEntry: Sendable, Hashable, Comparable {
    public var region: RegionRef
    public var shard: Int
    public init(region: RegionRef, shard: Int) { self.region = region; self.shard = shard }
    public static func < (a: Self, b: Self) -> Bool { a.region < b.region }
}

extension Catalog {
    /// The image counts of the newest finished whole (unsharded) scan, by account×region: what
    /// shards are balanced by. nil when there is no such scan.
    public func shardWeights() throws -> [RegionRef: Int]? {
        try read("reading the previous scan's image counts") { db in
            guard let scan = try Int64.fetchOne(db, sql: """
                SELECT id FROM scan WHERE status IN ('complete', 'partial')
                  AND id NOT IN (SELECT scan_id FROM scan_shard) ORDER BY id DESC LIMIT 1
                """) else { return nil }
            var weights: [RegionRef: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT account_id, region, image_count FROM coverage WHERE scan_id = ?",
                                        arguments: [scan]) {
                weights[RegionRef(accountId: row[0], region: row[1])] = row[2]
            }
            return weights
        }
    }

    public func record(shard: ShardRecord) throws {
        let operation = "recording the shard of scan \(shard.scan)"
        try write(operation) { db in
            try requireRunning(db, scan: shard.scan, operation)
            try db.execute(sql: """
                INSERT INTO scan_shard (scan_id, shard_index, shard_count, basis, plan_digest) VALUES (?, ?, ?, ?, ?)
                """, arguments: [shard.scan, shard.index, shard.count, shard.basis, shard.planDigest])
        }
    }

    /// Adds account×regions of the whole plan (every shard's, not only this one's).
    public func record(shardPlan entries: [ShardPlanEntry], scan: Int64) throws {
        let operation = "recording the whole plan of shard scan \(scan)"
        try write(operation) { db in
            try requireRunning(db, scan: scan, operation)
            let statement = try db.cachedStatement(sql:
                "INSERT OR IGNORE INTO shard_plan (scan_id, account_id, region, shard_index) VALUES (?, ?, ?, ?)")
            for entry in entries {
                try statement.execute(arguments: [scan, entry.region.accountId, entry.region.region, entry.shard])
            }
        }
    }

    public func sealShard(scan: Int64, planDigest: String) throws {
        let operation = "sealing the plan of shard scan \(scan)"
        try write(operation) { db in
            try requireRunning(db, scan: scan, operation)
            try db.execute(sql: "UPDATE scan_shard SET plan_digest = ? WHERE scan_id = ?", arguments: [planDigest, scan])
        }
    }

    public func shard(scan: Int64) throws -> ShardRecord? {
        try read("reading the shard of scan \(scan)") { db in
            try Row.fetchOne(db, sql: """
                SELECT scan_id, shard_index, shard_count, basis, plan_digest FROM scan_shard WHERE scan_id = ?
                """, arguments: [scan]).map {
                ShardRecord(scan: $0[0], index: $0[1], count: $0[2], basis: $0[3], planDigest: $0[4])
            }
        }
    }

    /// The newest scan of this catalogue that is a shard.
    public func latestShardScanID() throws -> Int64? {
        try read("finding the latest shard scan") { db in
            try Int64.fetchOne(db, sql: "SELECT scan_id FROM scan_shard ORDER BY scan_id DESC LIMIT 1")
        }
    }

    /// The whole plan a shard was cut from, sorted.
    public func shardPlan(scan: Int64) throws -> [ShardPlanEntry] {
        try read("reading the whole plan of shard scan \(scan)") { db in
            try Row.fetchAll(db, sql: """
                SELECT account_id, region, shard_index FROM shard_plan WHERE scan_id = ? ORDER BY account_id, region
                """, arguments: [scan]).map {
                ShardPlanEntry(region: RegionRef(accountId: $0[0], region: $0[1]), shard: $0[2])
            }
        }
    }
}
