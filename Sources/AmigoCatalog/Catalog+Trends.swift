import AmigoCore
import Foundation
import GRDB

extension Catalog {
    /// The history of `evaluation`'s scope: at most `last` points, oldest first, the last one
    /// `evaluation` itself, each earlier one the latest evaluation of an earlier finished scan
    /// of the same scope (same source, same account and region options, same shard). Scans are
    /// in catalogue order, as `amigo scans` lists them; scans never evaluated are left out.
    /// Read from the catalogue alone: nothing is evaluated again.
    public func trend(ending evaluation: EvaluationInfo, last: Int = Trend.defaultLength) throws -> Trend {
        let operation = "reading the trend of scan \(evaluation.scanId)"
        guard last > 0 else { throw failure(operation, "a trend needs at least one scan (got \(last))") }
        return try read(operation) { db in
            guard let anchor = try Row.fetchOne(db, sql: """
                SELECT s.source, s.options, h.shard_index, h.shard_count FROM scan s
                LEFT JOIN scan_shard h ON h.scan_id = s.id WHERE s.id = ?
                """, arguments: [evaluation.scanId]) else { throw failure(operation, "there is no scan \(evaluation.scanId)") }
            let source: String = anchor[0], options: String = anchor[1]
            let shardIndex: Int? = anchor[2], shardCount: Int? = anchor[3]
            // One scan more than shown, so the oldest point shown has its new and resolved too.
            let earlier = try Row.fetchAll(db, sql: """
                SELECT s.id, (SELECT MAX(e.id) FROM evaluation e WHERE e.scan_id = s.id) FROM scan s
                LEFT JOIN scan_shard h ON h.scan_id = s.id
                WHERE s.id < ? AND s.source = ? AND s.options = ? AND s.status <> ?
                  AND h.shard_index IS ? AND h.shard_count IS ?
                  AND EXISTS (SELECT 1 FROM evaluation e WHERE e.scan_id = s.id)
                ORDER BY s.id DESC LIMIT ?
                """, arguments: [evaluation.scanId, source, options, ScanStatus.running.rawValue,
                                 shardIndex, shardCount, last]).map { ($0[0] as Int64, $0[1] as Int64) }
            let chosen = earlier.reversed() + [(evaluation.scanId, evaluation.id)]
            var points: [Trend.Point] = []
            var previous: Set<String>?
            for (scan, evaluationID) in chosen {
                guard let info = try Row.fetchOne(db, sql: "SELECT started_at, as_of, status FROM scan WHERE id = ?",
                                                  arguments: [scan]) else { continue }
                let statusText: String = info[2]
                guard let status = ScanStatus(rawValue: statusText) else {
                    throw failure(operation, "unknown status '\(statusText)' of scan \(scan)")
                }
                // Each read streams: a million-image evaluation is never held here as arrays. The
                // findings are read once: the tally takes each in turn, and its identity is kept
                // on the way for the new and resolved counts.
                let images = try evaluatedImages(db, scan: scan)
                let findings = try trendFindings(db, evaluation: evaluationID, operation)
                var identitySet = Set<String>()
                let tally = ComplianceTally(images: images, coverage: try trendCoverage(db, scan: scan, operation),
                                            findings: findings.lazy.map { identitySet.insert($0.identity); return $0 })
                try images.check()
                try findings.check()
                points.append(Trend.Point(scanId: scan, evaluationId: evaluationID,
                                          asOf: Date(unixSeconds: info[1] as Double), startedAt: Date(unixSeconds: info[0] as Double),
                                          status: status, tally: tally,
                                          new: previous.map { identitySet.subtracting($0).count },
                                          resolved: previous.map { $0.subtracting(identitySet).count }))
                previous = identitySet
            }
            let shard = shardIndex.map { " shard \($0)/\(shardCount ?? 0)" } ?? ""
            return Trend(scope: "\(source) \(options)\(shard)".trimmingCharacters(in: .whitespaces),
                         points: Array(points.suffix(last)))
        }
    }

    /// The images an evaluation of the scan judged: its inventory (owned images, not those
    /// only referenced by workloads) and the images it could not decode (named by scan
    /// errors), as the engine lists them in `Report.images`.
    private func evaluatedImages(_ db: Database, scan: Int64) throws -> RowSequence<ImageRef> {
        try Self.rowSequence(db, sql: """
            SELECT account_id, region, image_id FROM image i WHERE scan_id = ? AND referenced = 0
                AND \(InventoryReader.recorded("i"))
            UNION SELECT account_id, region, image_id FROM scan_error
            WHERE scan_id = ? AND image_id IS NOT NULL AND region IS NOT NULL
            """, arguments: [scan, scan]) { ImageRef(accountId: $0[0], region: $0[1], imageId: $0[2]) }
    }

    /// The scan's coverage, with the planned account×regions it never read as failed (as
    /// reports list them).
    private func trendCoverage(_ db: Database, scan: Int64, _ operation: String) throws -> [RegionCoverage] {
        let recorded = try Row.fetchAll(db, sql: "SELECT account_id, region, status FROM coverage WHERE scan_id = ?",
                                        arguments: [scan]).map { row in
            let statusText: String = row[2]
            guard let status = RegionCoverage.Status(rawValue: statusText) else {
                throw failure(operation, "unknown coverage status '\(statusText)' in scan \(scan)")
            }
            return RegionCoverage(accountId: row[0], region: row[1], status: status)
        }
        return recorded + (try unread(db, scan: scan)).map { RegionCoverage(accountId: $0.accountId, region: $0.region, status: .failed) }
    }

    /// The unwaived findings of an evaluation with what identity and tally read, nothing else.
    private func trendFindings(_ db: Database, evaluation: Int64, _ operation: String) throws -> RowSequence<Finding> {
        try Self.rowSequence(db, sql: """
            SELECT policy_id, check_id, severity, account_id, region, resource_type, resource_id, discriminator
            FROM evaluation_finding WHERE evaluation_id = ? AND waiver_reason IS NULL
            """, arguments: [evaluation]) { [self] row in
            let severityText: String = row[2]
            guard let severity = Severity(rawValue: severityText) else {
                throw failure(operation, "unknown severity '\(severityText)' in evaluation \(evaluation)")
            }
            return Finding(policyId: row[0], check: row[1], severity: severity, accountId: row[3], region: row[4],
                           resourceType: row[5], resourceId: row[6], message: "", discriminator: row[7])
        }
    }
}
