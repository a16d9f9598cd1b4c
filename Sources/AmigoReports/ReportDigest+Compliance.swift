import AmigoCore

extension ReportDigest {
    /// The report's headline figures (`ComplianceTally`, the definition trends use too).
    func complianceTally() -> ComplianceTally {
        ComplianceTally(images: report.images, coverage: coverage, findings: findings)
    }

    /// The same figures for each group of account×regions (an account, a region), counted in
    /// one pass over the report rather than one per group. Groups hold positions, not copies:
    /// a copy of every finding and image per grouping was a large report's peak memory.
    func complianceTallies<Key: Hashable>(by key: (_ accountId: String, _ region: String) -> Key) -> [Key: ComplianceTally] {
        let images = Dictionary(grouping: report.images.indices) { key(report.images[$0].accountId, report.images[$0].region) }
        let coverage = Dictionary(grouping: coverage) { key($0.accountId, $0.region) }
        let findings = Dictionary(grouping: findings.indices) { key(self.findings[$0].accountId, self.findings[$0].region) }
        let keys = Set(images.keys).union(coverage.keys).union(findings.keys)
        return Dictionary(uniqueKeysWithValues: keys.map { k in
            (k, ComplianceTally(images: (images[k] ?? []).lazy.map { report.images[$0] }, coverage: coverage[k] ?? [],
                                findings: (findings[k] ?? []).lazy.map { self.findings[$0] }))
        })
    }
}
