import Foundation

/// Region policies: each is asked once per account×region the scan read, so a guardrail that
/// is off shows up as one finding per account×region, and one that could not be read as a
/// fail-closed "cannot verify" finding. Regions that failed or were skipped are already scan
/// errors or skipped coverage; judging them here would only repeat that.
extension Engine {
    /// The account×regions the scan read, fully or partly, in report order, once each.
    static func readableRegions(_ coverage: [RegionCoverage]) -> [RegionRef] {
        Set(coverage.lazy.filter { $0.status == .scanned || $0.status == .partial }
                .map { RegionRef(accountId: $0.accountId, region: $0.region) })
            .sorted()
    }

    static func evaluate(_ policy: Policy, _ check: any Check<AccountRegion>, regions: [RegionRef], context: EvaluationContext,
                         accountNames: [String: String], waivers: WaiverIndex) -> (PolicyResult, [WaivedFinding]) {
        let evaluated = policy.scope.isEverything ? regions
            : regions.filter { policy.scope.contains(account: $0.accountId, region: $0.region) }
        var findings: [Finding] = []
        var waived: [WaivedFinding] = []
        for ref in evaluated {
            let subject = AccountRegion(accountId: ref.accountId, region: ref.region,
                                        settings: context.regionSettings["\(ref.accountId)/\(ref.region)"])
            let violations = check.evaluate(subject, in: context)
            for violation in violations.sorted(by: { $0.message < $1.message }) {
                var finding = Finding(policyId: policy.id, check: policy.checkId, severity: policy.severity,
                                      accountId: ref.accountId, accountName: accountNames[ref.accountId],
                                      region: ref.region, resourceType: Finding.regionResourceType,
                                      resourceId: ref.resourceId, message: violation.message, evidence: violation.evidence,
                                      discriminator: violation.discriminator)
                if let waiver = waivers.waiver(covering: &finding, asOf: context.asOf) {
                    waived.append(WaivedFinding(finding: finding, reason: waiver.reason, expires: waiver.expires))
                } else {
                    findings.append(finding)
                }
            }
        }
        return (PolicyResult(policy: policy.info, evaluated: [], findings: findings, evaluatedRegions: evaluated), waived)
    }
}
