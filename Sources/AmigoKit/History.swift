import AmigoCatalog
import AmigoCore
import Foundation

/// `amigo scans` and `amigo diff`: the catalogue's history, for weekly compliance reports.
public enum History {
    public static func list(catalogPath: String, console: Console) async -> ExitStatus {
        await console.outcome(otherwise: .usage) {
            let catalog = try open(catalogPath)
            let scans = try catalog.scans()
            if scans.isEmpty { console.out("no scans in \(catalogPath)"); return .clean }
            console.out("id  status    started               as of                 source    findings")
            for scan in scans {
                let count = try scan.id.map { try catalog.findings(scan: $0).count } ?? 0
                console.out(String(format: "%-3lld %-9@ %@  %@  %-9@ %d", scan.id ?? 0, scan.status as NSString,
                                   AsOf.format(scan.startedAt) as NSString, AsOf.format(scan.asOf) as NSString,
                                   scan.source as NSString, count))
            }
            return .clean
        }
    }

    /// Findings that appeared and disappeared between two scans (default: the two latest).
    /// Exit 1 when anything new appeared at or above `failOn`, so a weekly job can alert on it.
    public static func diff(catalogPath: String, from: Int64?, to: Int64?, failOn: FailThreshold,
                            console: Console) async -> ExitStatus {
        await console.outcome(otherwise: .usage) {
            let catalog = try open(catalogPath)
            let ids = try catalog.scans().filter { $0.status != "running" }.compactMap(\.id)
            guard let newer = to ?? ids.first,
                  let older = from ?? ids.first(where: { $0 < newer }) else {
                throw UsageError("diff needs two finished scans in \(catalogPath)")
            }
            let before = try catalog.findings(scan: older)
            let after = try catalog.findings(scan: newer)
            // A resource that still violates the same policy is the same finding, even when
            // its message changed (an age check's day count grows every week).
            func key(_ f: Finding) -> String { "\(f.policyId)|\(f.accountId)|\(f.region)|\(f.resourceId)" }
            let beforeKeys = Set(before.map(key)), afterKeys = Set(after.map(key))
            let added = after.filter { !beforeKeys.contains(key($0)) }.sorted(by: Finding.reportOrder)
            let resolved = before.filter { !afterKeys.contains(key($0)) }.sorted(by: Finding.reportOrder)
            console.out("scan \(older) → scan \(newer): \(added.count) new, \(resolved.count) resolved, \(after.count) open")
            for f in added { console.out("+ \(f.severity.rawValue) \(f.policyId) \(f.accountId)/\(f.region)/\(f.resourceId): \(f.message)") }
            for f in resolved { console.out("- \(f.severity.rawValue) \(f.policyId) \(f.accountId)/\(f.region)/\(f.resourceId)") }
            return ExitStatus.decide(findings: added, failOn: failOn, incomplete: false, allowPartial: true)
        }
    }

    private static func open(_ path: String) throws -> Catalog {
        guard FileManager.default.fileExists(atPath: path) else { throw UsageError("no catalogue at \(path)") }
        return try Catalog(path: path)
    }
}
