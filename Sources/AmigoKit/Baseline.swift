import AmigoCatalog
import AmigoCore
import AmigoReports
import Foundation

/// `--baseline FILE`: the findings of an earlier run, from its `findings.json` or from a
/// catalogue (the latest evaluation of its latest finished scan), so a CI runner that keeps
/// nothing between runs can still fail only on what is new.
struct Baseline {
    /// Each baseline finding with the fingerprint its report gave it.
    var findings: [(fingerprint: String, finding: Finding)]

    static func load(_ url: URL) throws -> Baseline {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw UsageError("--baseline: cannot read \(url.path)")
        }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        if head == Data("SQLite format 3\0".utf8) { return try fromCatalogue(url.path) }
        return try fromJSON(url)
    }

    private static func fromCatalogue(_ path: String) throws -> Baseline {
        let catalog = try StoredScanRun.open(path)
        guard let scan = try catalog.latestScanID(completeOnly: false),
              let evaluation = try catalog.evaluations(scan: scan).last else {
            throw UsageError("--baseline: the catalogue \(path) holds no evaluated scan")
        }
        return Baseline(findings: try catalog.findings(evaluation: evaluation.id).map { ($0.fingerprint, $0) })
    }

    private static func fromJSON(_ url: URL) throws -> Baseline {
        let fail = { (why: String) in UsageError("--baseline \(url.path): \(why)") }
        guard let data = FileManager.default.contents(atPath: url.path),
              let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let items = document["findings"] as? [[String: Any]] else {
            throw fail("not a findings.json written by amigo (no 'findings' array)")
        }
        var findings: [(String, Finding)] = []
        for (n, item) in items.enumerated() {
            func text(_ key: String) throws -> String {
                guard let value = item[key] as? String else { throw fail("finding \(n + 1) has no '\(key)'") }
                return value
            }
            // Reports before schema 1.2 have only `fingerprint`, which is the same digest.
            let fingerprint = try (item["id"] as? String) ?? text("fingerprint")
            guard let severity = Severity(rawValue: try text("severity")) else { throw fail("finding \(n + 1): unknown severity") }
            let finding = Finding(policyId: try text("policyId"), check: (item["check"] as? String) ?? "",
                                  severity: severity, accountId: try text("accountId"),
                                  accountName: item["accountName"] as? String, region: try text("region"),
                                  resourceType: try text("resourceType"), resourceId: try text("resourceId"),
                                  resourceName: item["resourceName"] as? String, message: (item["message"] as? String) ?? "",
                                  evidence: (item["evidence"] as? [String: String]) ?? [:],
                                  discriminator: item["discriminator"] as? String)
            findings.append((fingerprint, finding))
        }
        return Baseline(findings: findings)
    }

    /// How this run's report stands against the baseline.
    func compare(_ report: Report) -> BaselineComparison {
        let current = Set(report.results.lazy.flatMap(\.findings).map(\.fingerprint))
            .union(report.waived.lazy.map(\.finding.fingerprint))
        return BaselineComparison(known: Set(findings.map(\.fingerprint)),
                                  resolved: findings.filter { !current.contains($0.fingerprint) }.map(\.finding)
                                      .sorted(by: Finding.reportOrder))
    }
}
