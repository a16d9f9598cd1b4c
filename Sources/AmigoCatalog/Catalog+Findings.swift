import AmigoCore
import Foundation
import GRDB

extension Catalog {
    /// Stores the outcome of evaluating a scan, replacing any earlier evaluation of it (the
    /// inventory is history; its evaluation can be re-run with other policies or dates).
    /// `findings` may be lazy (e.g. every policy result's findings, flattened), so a million
    /// findings need not be copied into one array first.
    public func save(findings: some Collection<Finding>, waived: [WaivedFinding], scan: Int64) throws {
        let operation = "saving \(findings.count) findings of scan \(scan)"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try write(operation) { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM scan WHERE id = ?", arguments: [scan]) ?? false else {
                throw failure(operation, "there is no scan \(scan)")
            }
            try db.execute(sql: "DELETE FROM finding WHERE scan_id = ?", arguments: [scan])
            try db.execute(sql: "DELETE FROM waived_finding WHERE scan_id = ?", arguments: [scan])
            let finding = try db.cachedStatement(sql: """
                INSERT INTO finding (scan_id, \(Self.findingColumns))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for f in findings {
                try finding.execute(arguments: [scan] + Self.arguments(f, encoder))
            }
            let waivedFinding = try db.cachedStatement(sql: """
                INSERT INTO waived_finding (scan_id, \(Self.findingColumns), reason, expires)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for w in waived {
                try waivedFinding.execute(arguments: [scan] + Self.arguments(w.finding, encoder)
                                                     + [w.reason, w.expires.unixSeconds])
            }
        }
    }

    /// The unwaived findings of a scan, in the order they were saved.
    public func findings(scan: Int64) throws -> [Finding] {
        let operation = "reading the findings of scan \(scan)"
        let decoder = JSONDecoder()
        return try read(operation) { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.findingColumns) FROM finding WHERE scan_id = ? ORDER BY id",
                             arguments: [scan]).map { try finding($0, decoder, operation) }
        }
    }

    /// The findings of a scan that a waiver accepted, in the order they were saved.
    public func waivedFindings(scan: Int64) throws -> [WaivedFinding] {
        let operation = "reading the waived findings of scan \(scan)"
        let decoder = JSONDecoder()
        return try read(operation) { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.findingColumns), reason, expires FROM waived_finding WHERE scan_id = ? ORDER BY id
                """, arguments: [scan]).map { row in
                WaivedFinding(finding: try finding(row, decoder, operation), reason: row[11],
                              expires: Date(unixSeconds: row[12] as Double?))
            }
        }
    }

    private static let findingColumns = """
        policy_id, check_id, severity, account_id, account_name, region, resource_type, resource_id,
        resource_name, message, evidence
        """

    private static func arguments(_ f: Finding, _ encoder: JSONEncoder) throws -> StatementArguments {
        let evidence = String(decoding: try encoder.encode(f.evidence), as: UTF8.self)
        return [f.policyId, f.check, f.severity.rawValue, f.accountId, f.accountName, f.region,
                f.resourceType, f.resourceId, f.resourceName, f.message, evidence]
    }

    private func finding(_ row: Row, _ decoder: JSONDecoder, _ operation: String) throws -> Finding {
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
        return Finding(policyId: row[0], check: row[1], severity: severity, accountId: row[3],
                       accountName: row[4], region: row[5], resourceType: row[6], resourceId: row[7],
                       resourceName: row[8], message: row[9], evidence: evidence)
    }
}
