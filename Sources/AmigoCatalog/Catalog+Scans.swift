import AmigoCore
import Foundation
import GRDB

extension Catalog {
    /// Opens a new scan, `running` until `finishScan`, and returns its id.
    public func startScan(startedAt: Date, asOf: Date, source: String, policyText: String,
                          options: String) throws -> Int64 {
        try write("starting a scan") { db in
            try db.execute(sql: """
                INSERT INTO scan (started_at, as_of, status, source, policy_text, options, schema_version)
                VALUES (?, ?, 'running', ?, ?, ?, ?)
                """, arguments: [startedAt.unixSeconds, asOf.unixSeconds, source, policyText, options,
                                 Schema.version])
            return db.lastInsertedRowID
        }
    }

    /// Closes a running scan with its final status (`complete`, `partial`, …). Finishing a scan
    /// twice is refused: a stored outcome is history.
    public func finishScan(_ id: Int64, finishedAt: Date, status: String) throws {
        let operation = "finishing scan \(id)"
        guard !status.isEmpty, status != "running" else {
            throw failure(operation, "'\(status)' is not a final status")
        }
        try write(operation) { db in
            try requireRunning(db, scan: id, operation)
            try db.execute(sql: "UPDATE scan SET finished_at = ?, status = ? WHERE id = ?",
                           arguments: [finishedAt.unixSeconds, status, id])
        }
    }

    public func scanInfo(_ id: Int64) throws -> ScanInfo? {
        try read("reading scan \(id)") { db in
            try Row.fetchOne(db, sql: "\(Self.scanColumns) WHERE id = ?", arguments: [id]).map(Self.scanInfo)
        }
    }

    /// Every scan, newest (most recently started in this catalogue) first.
    public func scans() throws -> [ScanInfo] {
        try read("listing scans") { db in
            try Row.fetchAll(db, sql: "\(Self.scanColumns) ORDER BY id DESC").map(Self.scanInfo)
        }
    }

    /// The newest finished scan; with `completeOnly`, the newest whose every account×region was
    /// read. Running scans (including ones a crash left running) are never returned.
    public func latestScanID(completeOnly: Bool) throws -> Int64? {
        let condition = completeOnly ? "status = 'complete'" : "status <> 'running'"
        return try read("finding the latest scan") { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM scan WHERE \(condition) ORDER BY id DESC LIMIT 1")
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

    private static func scanInfo(_ row: Row) -> ScanInfo {
        ScanInfo(id: row[0], startedAt: Date(unixSeconds: row[1]), finishedAt: Date(unixSeconds: row[2]),
                 asOf: Date(unixSeconds: row[3]), status: row[4], source: row[5])
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
