import AmigoCore
import Foundation

/// Everything the reporters derive from a `Report`, computed once and in one stable order so
/// that every format agrees on the numbers (and the order rows appear in).
struct ReportDigest: Sendable {
    struct PolicyRow {
        var info: PolicyInfo
        var result: PolicyResult
        var findings: [Finding]
        var waived: [WaivedFinding]
        /// Distinct images plus distinct account×regions evaluated.
        var evaluated: Int
        /// Distinct resources with at least one unwaived finding.
        var failed: Int

        /// Images (or account×regions) the policy was evaluated against, plus any other
        /// resource it found on, in resource order. Built on demand: only per-resource formats
        /// (JUnit) need it, and for a large organisation it is most of a digest's work.
        func subjects(_ index: SubjectIndex) -> [Subject] { index.subjects(of: self) }
    }

    /// One resource a policy looked at: a JUnit test case, a row of the per-policy tables.
    struct Subject {
        var key: ResourceKey
        var name: String?
        var findings: [Finding]
        var waived: [WaivedFinding]
    }

    struct ResourceKey: Hashable, Comparable {
        var accountId: String
        var region: String
        var resourceType: String
        var resourceId: String
        /// Field by field: comparing tuples copied all four strings of both keys, per comparison.
        static func < (a: Self, b: Self) -> Bool {
            if a.accountId != b.accountId { return a.accountId < b.accountId }
            if a.region != b.region { return a.region < b.region }
            if a.resourceType != b.resourceType { return a.resourceType < b.resourceType }
            return a.resourceId < b.resourceId
        }
    }

    struct AccountRow {
        var id: String
        var name: String?
        var images: Int
        var bySeverity: [Severity: Int]
        var findings: Int
        var waived: Int
        var scanErrors: Int
    }

    let report: Report
    let findings: [Finding]
    let waived: [WaivedFinding]
    let errors: [ScanError]
    let coverage: [RegionCoverage]
    let policies: [PolicyRow]
    let accounts: [AccountRow]
    let bySeverity: [Severity: Int]
    /// Distinct account×regions any region policy was evaluated in.
    let regionsEvaluated: Int
    private let accountNames: [String: String]

    /// Most severe first, the order every table lists severities in.
    static let severities: [Severity] = Severity.allCases.reversed()

    init(_ report: Report) {
        self.report = report
        findings = report.findings
        waived = report.waived.sorted { Finding.reportOrder($0.finding, $1.finding) }
        errors = report.errors.sorted {
            ($0.accountId, $0.region ?? "", $0.operation, $0.code, $0.message)
                < ($1.accountId, $1.region ?? "", $1.operation, $1.code, $1.message)
        }
        coverage = report.coverage.sorted { ($0.accountId, $0.region) < ($1.accountId, $1.region) }
        var severityCounts = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, 0) })
        for finding in findings { severityCounts[finding.severity, default: 0] += 1 }
        bySeverity = severityCounts
        policies = report.results
            .map { Self.policyRow($0, report: report) }
            .sorted { ($0.info.severity, $1.info.id) > ($1.info.severity, $0.info.id) }
        accounts = Self.accountRows(report, findings: findings)
        regionsEvaluated = Set(report.results.flatMap(\.evaluatedRegions)).count
        accountNames = Dictionary(accounts.compactMap { row in row.name.map { (row.id, $0) } },
                                  uniquingKeysWith: { first, _ in first })
    }

    func accountName(_ id: String) -> String? { accountNames[id] }

    var unreadableRegions: [RegionCoverage] { coverage.filter { $0.status == .failed || $0.status == .partial } }
    var skippedRegions: [RegionCoverage] { coverage.filter { $0.status == .skipped } }

    /// With a baseline: "new" or "existing" for a finding; nil without one.
    func baselineState(_ f: Finding) -> String? {
        report.baseline.map { $0.known.contains(f.fingerprint) ? "existing" : "new" }
    }

    /// With a baseline: how many findings are new, and one line for the counts.
    var newFindings: Int? {
        report.baseline.map { b in findings.lazy.filter { !b.known.contains($0.fingerprint) }.count }
    }

    var baselineLine: String? {
        guard let baseline = report.baseline, let new = newFindings else { return nil }
        return "baseline: \(new) new, \(findings.count - new) existing, \(baseline.resolved.count) resolved"
    }

    /// One line per waiver about to lapse, worded the same in every format.
    var warnings: [String] {
        report.expiringWaivers.map { w in
            let scope = (w.images.isEmpty ? [] : ["images " + w.images.joined(separator: ", ")])
                + (w.accounts.isEmpty ? [] : ["accounts " + w.accounts.joined(separator: ", ")])
            return "waiver of \(w.policyId)\(scope.isEmpty ? "" : " (" + scope.joined(separator: "; ") + ")")"
                + " expires on \(w.expires.map(Timestamp.day) ?? "?") (\(w.reason))"
        }
    }
    var isIncomplete: Bool { !report.scan.status.isComplete || !errors.isEmpty || !unreadableRegions.isEmpty }

    func regionCount(_ status: RegionCoverage.Status) -> Int { coverage.filter { $0.status == status }.count }

    func accountLabel(_ id: String, name: String?) -> String {
        guard let name = name ?? accountName(id), !name.isEmpty else { return id }
        return "\(id) (\(name))"
    }

    static func key(_ f: Finding) -> ResourceKey {
        ResourceKey(accountId: f.accountId, region: f.region, resourceType: f.resourceType, resourceId: f.resourceId)
    }

    private static func policyRow(_ result: PolicyResult, report: Report) -> PolicyRow {
        // The engine hands each policy's findings over in report order: sorting them again only
        // made a copy of every finding (tens of MB at the peak of a 1,000,000-image report).
        let findings = result.findings.isInReportOrder ? result.findings : result.findings.sorted(by: Finding.reportOrder)
        let waived = report.waived.filter { $0.finding.policyId == result.policy.id }
            .sorted { Finding.reportOrder($0.finding, $1.finding) }
        return PolicyRow(info: result.policy, result: result, findings: findings, waived: waived,
                         evaluated: Set(result.evaluated).count + Set(result.evaluatedRegions).count,
                         failed: Set(findings.map(key)).count)
    }

    private static func accountRows(_ report: Report, findings: [Finding]) -> [AccountRow] {
        func tally(_ ids: [String]) -> [String: Int] { ids.reduce(into: [:]) { $0[$1, default: 0] += 1 } }
        let images = tally(report.images.map(\.accountId))
        let waived = tally(report.waived.map(\.finding.accountId))
        let errors = tally(report.errors.map(\.accountId))
        // Counted, not grouped: a grouping copied every finding.
        let zero = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, 0) })
        var bySeverityOf: [String: [Severity: Int]] = [:]
        var nameInFindings: [String: String] = [:]
        for finding in findings {
            bySeverityOf[finding.accountId, default: zero][finding.severity, default: 0] += 1
            if nameInFindings[finding.accountId] == nil, let name = finding.accountName {
                nameInFindings[finding.accountId] = name
            }
        }
        let names = Dictionary(report.accounts.compactMap { account in account.name.map { (account.id, $0) } },
                               uniquingKeysWith: { first, _ in first })
        var ids = Set(report.accounts.map(\.id)).union(images.keys).union(bySeverityOf.keys)
        ids.formUnion(waived.keys)
        ids.formUnion(errors.keys)
        ids.formUnion(report.coverage.map(\.accountId))
        return ids.sorted().map { id in
            let bySeverity = bySeverityOf[id] ?? zero
            return AccountRow(id: id, name: names[id] ?? nameInFindings[id],
                              images: images[id] ?? 0, bySeverity: bySeverity, findings: bySeverity.values.reduce(0, +),
                              waived: waived[id] ?? 0, scanErrors: errors[id] ?? 0)
        }
    }
}

extension Finding {
    /// `identity` as reports write it (JSON `id`, SARIF `partialFingerprints`, CSV, baselines):
    /// SHA-256 hex, so AWS text never reaches a fingerprint field.
    public var fingerprint: String { SHA256Digest.hex(identity) }

    var resourceLabel: String {
        guard let name = resourceName, !name.isEmpty else { return resourceId }
        return "\(resourceId) (\(name))"
    }
}

enum Timestamp {
    /// ISO-8601 in UTC with a `Z`, whole seconds: the one date format amigo writes.
    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    static func day(_ date: Date) -> String { String(iso(date).prefix(10)) }
}
