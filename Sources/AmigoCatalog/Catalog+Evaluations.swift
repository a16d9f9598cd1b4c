import AmigoCore
import Foundation
import GRDB

/// What an evaluation is, before it is stored.
public struct EvaluationRecord: Sendable {
    public var scan: Int64
    public var policyDigest: String
    /// The policy files as `startScan`'s `policyText`: enough to judge the scan again.
    public var policyText: String
    public var asOf: Date
    public var amigoVersion: String
    public var evaluatedAt: Date
    public init(scan: Int64, policyDigest: String, policyText: String, asOf: Date, amigoVersion: String,
                evaluatedAt: Date) {
        self.scan = scan; self.policyDigest = policyDigest; self.policyText = policyText; self.asOf = asOf
        self.amigoVersion = amigoVersion; self.evaluatedAt = evaluatedAt
    }
}

extension Catalog {
    /// Stores one evaluation of a scan with its findings, in one transaction. Earlier
    /// evaluations stay as they are: the scan's history is every evaluation it was given.
    /// `findings` may be lazy (e.g. every policy result's findings, flattened), so a million
    /// findings need not be copied into one array first.
    public func save(_ record: EvaluationRecord, findings: some Collection<Finding>,
                     waived: [WaivedFinding]) throws -> EvaluationInfo {
        let scan = record.scan
        let operation = "saving an evaluation of scan \(scan) (\(findings.count) findings)"
        let id: Int64 = try write(operation) { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM scan WHERE id = ?", arguments: [scan]) ?? false else {
                throw failure(operation, "there is no scan \(scan)")
            }
            try db.execute(sql: """
                INSERT INTO evaluation (scan_id, policy_digest, policy_text, as_of, amigo_version, evaluated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [scan, record.policyDigest, record.policyText, record.asOf.unixSeconds,
                                 record.amigoVersion, record.evaluatedAt.unixSeconds])
            let evaluation = db.lastInsertedRowID
            let insert = try RowInsert(db, into: "evaluation_finding",
                                       columns: ["evaluation_id"] + Self.findingColumnNames + ["waiver_reason", "waiver_expires"])
            for f in findings {
                try insert.run { row in
                    row.add(evaluation)
                    Self.add(f, to: &row)
                    row.add(nil as String?)
                    row.add(nil as Double?)
                }
            }
            for w in waived {
                try insert.run { row in
                    row.add(evaluation)
                    Self.add(w.finding, to: &row)
                    row.add(w.reason)
                    row.add(w.expires.unixSeconds)
                }
            }
            return evaluation
        }
        return EvaluationInfo(id: id, scanId: scan, policyDigest: record.policyDigest, asOf: record.asOf,
                              amigoVersion: record.amigoVersion, evaluatedAt: record.evaluatedAt,
                              findings: findings.count, waived: waived.count)
    }

    /// A scan's evaluations, oldest first, each with its own counts.
    public func evaluations(scan: Int64) throws -> [EvaluationInfo] {
        try read("listing the evaluations of scan \(scan)") { db in
            try Row.fetchAll(db, sql: "\(Self.evaluationColumns) WHERE e.scan_id = ? ORDER BY e.id",
                             arguments: [scan]).map(Self.evaluationInfo)
        }
    }

    public func evaluationInfo(_ id: Int64) throws -> EvaluationInfo? {
        try read("reading evaluation \(id)") { db in
            try Row.fetchOne(db, sql: "\(Self.evaluationColumns) WHERE e.id = ?", arguments: [id]).map(Self.evaluationInfo)
        }
    }

    /// The policy text the evaluation judged with.
    public func policyText(evaluation: Int64) throws -> String? {
        try read("reading the policies of evaluation \(evaluation)") { db in
            try String.fetchOne(db, sql: "SELECT policy_text FROM evaluation WHERE id = ?", arguments: [evaluation])
        }
    }

    /// The unwaived findings of an evaluation, in the order they were saved.
    public func findings(evaluation: Int64) throws -> [Finding] {
        let operation = "reading the findings of evaluation \(evaluation)"
        let decoder = JSONDecoder()
        var strings = StringTable()
        return try read(operation) { db in
            try Self.mapRows(db, sql: Self.unwaivedFindings, arguments: [evaluation]) {
                try self.finding($0, decoder, &strings, operation)
            }
        }
    }

    /// The unwaived findings of an evaluation by policy id, each policy's in the order they
    /// were saved. Each array is sized from a count first: grouping a read array instead held
    /// it twice over, and arrays grown by doubling as much again in spare capacity.
    public func findingsByPolicy(evaluation: Int64) throws -> [String: [Finding]] {
        let operation = "reading the findings of evaluation \(evaluation)"
        let decoder = JSONDecoder()
        var strings = StringTable()
        return try read(operation) { db in
            var byPolicy: [String: [Finding]] = [:]
            let counts = try Row.fetchCursor(db, sql: """
                SELECT policy_id, COUNT(*) FROM evaluation_finding
                WHERE evaluation_id = ? AND waiver_reason IS NULL GROUP BY policy_id
                """, arguments: [evaluation])
            while let row = try counts.next() {
                var findings: [Finding] = []
                findings.reserveCapacity(row[1])
                byPolicy[row[0]] = findings
            }
            let findings = try Self.rowSequence(db, sql: Self.unwaivedFindings, arguments: [evaluation]) {
                try self.finding($0, decoder, &strings, operation)
            }
            for finding in findings {
                guard byPolicy[finding.policyId] != nil else {
                    throw failure(operation, "finding of policy '\(finding.policyId)' appeared while it was read")
                }
                byPolicy[finding.policyId]!.append(finding)
            }
            try findings.check()
            return byPolicy
        }
    }

    /// The findings of an evaluation that a waiver accepted, in the order they were saved.
    public func waivedFindings(evaluation: Int64) throws -> [WaivedFinding] {
        let operation = "reading the waived findings of evaluation \(evaluation)"
        let decoder = JSONDecoder()
        var strings = StringTable()
        return try read(operation) { db in
            try Self.mapRows(db, sql: """
                SELECT \(Self.findingColumns), waiver_reason, waiver_expires FROM evaluation_finding
                WHERE evaluation_id = ? AND waiver_reason IS NOT NULL ORDER BY id
                """, arguments: [evaluation]) { row in
                WaivedFinding(finding: try self.finding(row, decoder, &strings, operation), reason: row[12],
                              expires: Date(unixSeconds: row[13] as Double?))
            }
        }
    }

    private static let evaluationColumns = """
        SELECT e.id, e.scan_id, e.policy_digest, e.as_of, e.amigo_version, e.evaluated_at,
            (SELECT COUNT(*) FROM evaluation_finding f WHERE f.evaluation_id = e.id AND f.waiver_reason IS NULL),
            (SELECT COUNT(*) FROM evaluation_finding f WHERE f.evaluation_id = e.id AND f.waiver_reason IS NOT NULL)
        FROM evaluation e
        """

    private static func evaluationInfo(_ row: Row) -> EvaluationInfo {
        EvaluationInfo(id: row[0], scanId: row[1], policyDigest: row[2], asOf: Date(unixSeconds: row[3] as Double),
                       amigoVersion: row[4], evaluatedAt: Date(unixSeconds: row[5] as Double),
                       findings: row[6], waived: row[7])
    }

    private static let unwaivedFindings = """
        SELECT \(findingColumns) FROM evaluation_finding
        WHERE evaluation_id = ? AND waiver_reason IS NULL ORDER BY id
        """

    private static let findingColumnNames = [
        "policy_id", "check_id", "severity", "account_id", "account_name", "region", "resource_type", "resource_id",
        "resource_name", "message", "evidence", "discriminator",
    ]
    private static let findingColumns = findingColumnNames.joined(separator: ", ")

    /// A finding's values in `findingColumnNames` order.
    private static func add(_ f: Finding, to row: inout RowValues) {
        row.add(f.policyId); row.add(f.check); row.add(f.severity.rawValue); row.add(f.accountId)
        row.add(f.accountName); row.add(f.region); row.add(f.resourceType); row.add(f.resourceId)
        row.add(f.resourceName); row.add(f.message); row.add(f.evidence.jsonObject); row.add(f.discriminator)
    }

    /// Messages and evidence repeat across findings: `strings` keeps one copy of each, as the
    /// engine does when it makes them.
    private func finding(_ row: Row, _ decoder: JSONDecoder, _ strings: inout StringTable,
                         _ operation: String) throws -> Finding {
        let severityName: String = row[2]
        guard let severity = Severity(rawValue: severityName) else {
            throw failure(operation, "unknown severity '\(severityName)'")
        }
        let evidenceText: String = row[10]
        let evidence: [String: String]
        do {
            evidence = try decoder.decode([String: String].self, from: Data(evidenceText.utf8))
        } catch {
            throw failure(operation, "evidence is not a JSON object of strings: \(error)")
        }
        var finding = Finding(policyId: row[0], check: row[1], severity: severity, accountId: row[3],
                              accountName: row[4], region: row[5], resourceType: row[6], resourceId: row[7],
                              resourceName: row[8], message: row[9], evidence: evidence, discriminator: row[11])
        strings.intern(&finding)
        return finding
    }
}
