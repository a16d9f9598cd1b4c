import AmigoCore
import Foundation
import GRDB

extension Catalog {
    /// Opens a new scan, `running` until `finishScan`, and returns its id. `process` names the
    /// process collecting it, so a scan it leaves `running` when killed can be told from a live one.
    public func startScan(startedAt: Date, asOf: Date, source: String, policyText: String,
                          options: String, process: ScanProcess = .current) throws -> Int64 {
        try write("starting a scan") { db in
            try db.execute(sql: """
                INSERT INTO scan (started_at, as_of, status, source, policy_text, options, schema_version, pid, host)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [startedAt.unixSeconds, asOf.unixSeconds, ScanStatus.running.rawValue, source,
                                 policyText, options, Schema.version, process.pid, process.host])
            return db.lastInsertedRowID
        }
    }

    /// Closes a running scan with its final status. Finishing a scan twice is refused: a
    /// stored outcome is history.
    public func finishScan(_ id: Int64, finishedAt: Date, status: ScanStatus) throws {
        let operation = "finishing scan \(id)"
        guard status != .running else { throw failure(operation, "'running' is not a final status") }
        try write(operation) { db in
            try requireRunning(db, scan: id, operation)
            try Self.deletePending(scan: id, db)
            try db.execute(sql: "UPDATE scan SET finished_at = ?, status = ? WHERE id = ?",
                           arguments: [finishedAt.unixSeconds, status.rawValue, id])
        }
    }

    /// Marks `interrupted` every scan left `running` by a process of this host that is gone
    /// (killed, crashed, the machine restarted): its data stops where the process stopped.
    /// Scans of other hosts are left alone; their processes cannot be seen from here.
    /// Returns the ids marked.
    @discardableResult
    public func settleStaleScans(on host: String = ScanProcess.current.host, now: Date = Date(),
                                 isAlive: (Int32) -> Bool = ScanProcess.isAlive) throws -> [Int64] {
        let operation = "marking scans left running by a dead process as interrupted"
        return try write(operation) { db in
            var stale: [Int64] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, pid, host FROM scan WHERE status = ?",
                                        arguments: [ScanStatus.running.rawValue]) {
                let pid: Int32? = row[1], rowHost: String? = row[2]
                // A scan from before schema v4 names no process: nothing can still be writing it.
                let dead = pid == nil || (rowHost == host && !isAlive(pid!))
                if dead { stale.append(row[0]) }
            }
            for id in stale {
                try Self.deletePending(scan: id, db)
                try db.execute(sql: "UPDATE scan SET status = ?, finished_at = ? WHERE id = ?",
                               arguments: [ScanStatus.interrupted.rawValue, now.unixSeconds, id])
            }
            return stale
        }
    }

    /// Stores account×regions the scan means to read, before reading them: any not
    /// recorded by the time the scan ends was never read, and reports say so.
    public func record(plan: [RegionRef], scan: Int64) throws {
        let operation = "recording the plan of scan \(scan)"
        try write(operation) { db in
            try requireRunning(db, scan: scan, operation)
            let statement = try db.cachedStatement(sql:
                "INSERT OR IGNORE INTO scan_plan (scan_id, account_id, region) VALUES (?, ?, ?)")
            for ref in plan { try statement.execute(arguments: [scan, ref.accountId, ref.region]) }
        }
    }

    /// Planned account×regions with no coverage row: never read. An account planned whole
    /// (`*`, its regions not yet listed) is read once anything of it is recorded.
    public func unread(scan: Int64) throws -> [RegionRef] {
        try read("reading the unread account×regions of scan \(scan)") { db in try unread(db, scan: scan) }
    }

    func unread(_ db: Database, scan: Int64) throws -> [RegionRef] {
            try Row.fetchAll(db, sql: """
                SELECT p.account_id, p.region FROM scan_plan p
                WHERE p.scan_id = ? AND NOT EXISTS (SELECT 1 FROM coverage c
                    WHERE c.scan_id = p.scan_id AND c.account_id = p.account_id
                      AND (c.region = p.region OR c.region = '*' OR p.region = '*'))
                  AND NOT (p.region = '*' AND EXISTS (SELECT 1 FROM scan_plan q
                    WHERE q.scan_id = p.scan_id AND q.account_id = p.account_id AND q.region <> '*'))
                ORDER BY p.account_id, p.region
                """, arguments: [scan]).map { RegionRef(accountId: $0[0], region: $0[1]) }
    }

    public func scanInfo(_ id: Int64) throws -> ScanInfo? {
        try read("reading scan \(id)") { db in
            try Row.fetchOne(db, sql: "\(Self.scanColumns) WHERE id = ?", arguments: [id]).map(makeScanInfo)
        }
    }

    /// Every scan, newest (most recently started in this catalogue) first.
    public func scans() throws -> [ScanInfo] {
        try read("listing scans") { db in
            try Row.fetchAll(db, sql: "\(Self.scanColumns) ORDER BY id DESC").map(makeScanInfo)
        }
    }

    /// The newest finished scan; with `completeOnly`, the newest whose every account×region was
    /// read. Running scans (including ones a crash left running) are never returned.
    public func latestScanID(completeOnly: Bool) throws -> Int64? {
        let (condition, status) = completeOnly ? ("status = ?", ScanStatus.complete) : ("status <> ?", ScanStatus.running)
        return try read("finding the latest scan") { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM scan WHERE \(condition) ORDER BY id DESC LIMIT 1",
                               arguments: [status.rawValue])
        }
    }

    /// The policy text the scan was (first) evaluated with, as given to `startScan`.
    public func policyText(scan: Int64) throws -> String? {
        try read("reading the policy of scan \(scan)") { db in
            try String.fetchOne(db, sql: "SELECT policy_text FROM scan WHERE id = ?", arguments: [scan])
        }
    }

    /// The options string given to `startScan`.
    public func options(scan: Int64) throws -> String? {
        try read("reading the options of scan \(scan)") { db in
            try String.fetchOne(db, sql: "SELECT options FROM scan WHERE id = ?", arguments: [scan])
        }
    }

    private static let scanColumns = "SELECT id, started_at, finished_at, as_of, status, source FROM scan"

    private func makeScanInfo(_ row: Row) throws -> ScanInfo {
        let statusText: String = row[4]
        guard let status = ScanStatus(rawValue: statusText) else {
            throw failure("reading scan \(row[0] as Int64)", "unknown scan status '\(statusText)'")
        }
        return ScanInfo(id: row[0], startedAt: Date(unixSeconds: row[1]), finishedAt: Date(unixSeconds: row[2]),
                        asOf: Date(unixSeconds: row[3]), status: status, source: row[5])
    }
}

extension Date {
    var unixSeconds: Double { timeIntervalSince1970 }
    init(unixSeconds: Double) { self.init(timeIntervalSince1970: unixSeconds) }
    init?(unixSeconds: Double?) {
        guard let unixSeconds else { return nil }
        self.init(timeIntervalSince1970: unixSeconds)
    }
}

extension Optional where Wrapped == Date {
    var unixSeconds: Double? { map(\.unixSeconds) }
}

/// The process that collects a scan: `pid` on `host`.
public struct ScanProcess: Sendable, Hashable {
    public var pid: Int32
    public var host: String
    public init(pid: Int32, host: String) { self.pid = pid; self.host = host }

    public static var current: ScanProcess {
        ScanProcess(pid: ProcessInfo.processInfo.processIdentifier, host: ProcessInfo.processInfo.hostName)
    }

    /// Whether a process with this id exists here (signal 0 probes without sending anything;
    /// EPERM means it exists but belongs to someone else).
    public static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
