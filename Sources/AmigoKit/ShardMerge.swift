import AmigoCatalog
import AmigoCore
import Foundation

/// `amigo merge OUT SHARD…`: the shards of one scan, collected apart, become one scan of OUT.
/// Shards of different scans, a shard given twice and an account×region in two shards are
/// refused (exit 2, naming the files); a missing shard leaves its account×regions "not read",
/// so the merged scan is `partial` and never judged compliant (exit 3).
public struct ShardMerge: Sendable {
    public var output: String
    public var shards: [String]
    public init(output: String, shards: [String]) { self.output = output; self.shards = shards }

    /// One shard catalogue's newest shard scan, with what must agree across shards.
    struct Shard {
        let path: String
        let catalog: Catalog
        let record: ShardRecord
        let info: ScanInfo
        let policyText: String
        /// Of the policy texts, not of the paths they were read from (runners check out apart).
        let policyDigest: String
        let options: String
        let organization: String?
        let coverage: [RegionRef]

        /// What makes two shards parts of the same scan, each with what to say when they differ.
        var agreement: [(String, String)] {
            [("plan (\(record.count) shards, digest)", "\(record.count) \(record.planDigest ?? "")"),
             ("policies", policyDigest), ("as-of", AsOf.format(info.asOf)), ("options", options),
             ("organisation", organization ?? "none")]
        }
    }

    public func run(console: Console) async -> ExitStatus {
        await console.outcome(otherwise: .incomplete) {
            let shards = try shards.map(open)
            try Self.check(shards)
            let (scan, status, missing) = try write(shards)
            let read = Set(shards.map(\.record.index))
            let first = shards[0].record
            if missing.isEmpty {
                console.out("scan \(scan): merged shards \(read.sorted().map(String.init).joined(separator: ",")) of \(first.count) (\(status.rawValue)) → \(output)")
            } else {
                console.err("warning: missing shard(s) \(missing.map { "\($0)/\(first.count)" }.joined(separator: ", ")): their account×regions are not read; scan \(scan) is partial")
            }
            return status.isComplete ? .clean : .incomplete
        }
    }

    private func open(_ path: String) throws -> Shard {
        guard FileManager.default.fileExists(atPath: path) else { throw UsageError("\(path): no such shard catalogue") }
        guard URL(fileURLWithPath: path).standardizedFileURL != URL(fileURLWithPath: output).standardizedFileURL else {
            throw UsageError("\(path): the merged catalogue cannot also be a shard")
        }
        let catalog = try Catalog(path: path)
        guard let scan = try catalog.latestShardScanID(), let record = try catalog.shard(scan: scan),
              let info = try catalog.scanInfo(scan) else {
            throw UsageError("\(path): holds no shard scan (collect one with --shard I/N)")
        }
        guard record.planDigest != nil, info.status == .complete || info.status == .partial else {
            throw UsageError("\(path): shard \(record.index)/\(record.count) (scan \(scan)) is \(info.status.rawValue) and never saw the whole plan; run it again")
        }
        let overview = try catalog.overview(scan: scan)
        let policyText = try catalog.policyText(scan: scan) ?? ""
        return Shard(path: path, catalog: catalog, record: record, info: info,
                     policyText: policyText, policyDigest: PolicyFiles.digest(stored: policyText) ?? "unreadable: \(policyText)",
                     options: try catalog.options(scan: scan) ?? "",
                     organization: overview.organization?.id,
                     coverage: overview.coverage.map { RegionRef(accountId: $0.accountId, region: $0.region) })
    }

    static func check(_ shards: [Shard]) throws {
        guard let first = shards.first else { throw UsageError("merge needs at least one shard catalogue") }
        var byIndex: [Int: String] = [:]
        var owner: [RegionRef: String] = [:]
        for shard in shards {
            for ((what, mine), (_, theirs)) in zip(shard.agreement, first.agreement) where mine != theirs {
                throw UsageError("\(shard.path): a shard of a different scan than \(first.path) (its \(what) differ)")
            }
            if let other = byIndex.updateValue(shard.path, forKey: shard.record.index) {
                throw UsageError("\(shard.path): shard \(shard.record.index)/\(shard.record.count) again (\(other) is that shard too)")
            }
            for region in shard.coverage {
                if let other = owner.updateValue(shard.path, forKey: region), other != shard.path {
                    throw UsageError("\(shard.path): overlaps \(other) (both read \(region.accountId)/\(region.region))")
                }
            }
        }
    }

    /// One new scan of OUT: every shard's data, the whole plan (so what a missing shard would
    /// have read is unread), `partial` unless every shard is there and complete.
    private func write(_ shards: [Shard]) throws -> (Int64, ScanStatus, [Int]) {
        let first = shards[0]
        let catalog: Catalog
        do { catalog = try Catalog(path: output) } catch { throw UsageError("cannot open catalogue \(output): \(error)") }
        let count = first.record.count
        let present = Set(shards.map(\.record.index))
        let missing = (1...count).filter { !present.contains($0) }
        let scan = try catalog.startScan(
            startedAt: shards.map(\.info.startedAt).min() ?? Date(), asOf: first.info.asOf,
            source: "merge: shards \(present.sorted().map(String.init).joined(separator: ",")) of \(count) of \(first.info.source)",
            policyText: first.policyText, options: first.options)
        for (position, shard) in shards.enumerated() {
            try catalog.copyShard(from: shard.path, scan: shard.record.scan, into: scan, withAccounts: position == 0)
        }
        try catalog.record(plan: try first.catalog.shardPlan(scan: first.record.scan).map(\.region), scan: scan)
        let unread = try catalog.unread(scan: scan)
        let complete = missing.isEmpty && unread.isEmpty && shards.allSatisfy { $0.info.status == .complete }
        let status: ScanStatus = complete ? .complete : .partial
        try catalog.finishScan(scan, finishedAt: Date(), status: status)
        return (scan, status, missing)
    }
}
