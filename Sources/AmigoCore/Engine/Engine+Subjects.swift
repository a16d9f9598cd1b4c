import Foundation

/// Policies about subjects other than images, judged once every image has been seen: region
/// policies once per account×region the scan read (a guardrail that is off is one finding per
/// account×region, one that could not be read a fail-closed "cannot verify"), workload
/// policies once per workload, and once per account×region whose workloads were not read
/// ("cannot verify", never a pass). Regions that failed or were skipped are already scan
/// errors or skipped coverage; judging their guardrails here would only repeat that.
extension Engine {
    /// The account×regions the scan read, fully or partly, in report order, once each.
    static func readableRegions(_ coverage: [RegionCoverage]) -> [RegionRef] {
        Set(coverage.lazy.filter { $0.status == .scanned || $0.status == .partial }
                .map { RegionRef(accountId: $0.accountId, region: $0.region) })
            .sorted()
    }

    /// The one finding of a violation by a subject of any kind.
    static func finding<S: CheckSubject>(_ subject: S, policyId: String, checkId: String, severity: Severity,
                                         accountName: String?, _ violation: Violation) -> Finding {
        let discriminator: String? = switch (subject.subjectDiscriminator, violation.discriminator) {
        case (nil, let own): own
        case (let subject?, nil): subject
        case (let subject?, let own?): "\(subject) \(own)"
        }
        return Finding(policyId: policyId, check: checkId, severity: severity, accountId: subject.accountId,
                       accountName: accountName, region: subject.region, resourceType: S.resourceType,
                       resourceId: subject.resourceId, resourceName: subject.resourceName,
                       message: violation.message, evidence: violation.evidence, discriminator: discriminator)
    }

    /// Every subject against one policy, in the order given (report order), with waivers applied.
    static func judge<S: CheckSubject>(_ subjects: [S], policy: Policy, accountNames: [String: String],
                                       waivers: WaiverIndex, asOf: Date,
                                       _ evaluate: (S) -> [Violation]) -> (findings: [Finding], waived: [WaivedFinding]) {
        var findings: [Finding] = []
        var waived: [WaivedFinding] = []
        for subject in subjects {
            for violation in evaluate(subject).sorted(by: { $0.message < $1.message }) {
                var finding = finding(subject, policyId: policy.id, checkId: policy.checkId, severity: policy.severity,
                                      accountName: accountNames[subject.accountId], violation)
                if let waiver = waivers.waiver(covering: &finding, asOf: asOf) {
                    waived.append(WaivedFinding(finding: finding, reason: waiver.reason, expires: waiver.expires))
                } else {
                    findings.append(finding)
                }
            }
        }
        return (findings, waived)
    }

    /// A region policy or a workload policy; nil for an image policy (judged image by image).
    static func evaluateAfterImages(_ policy: Policy, regions: [RegionRef], context: EvaluationContext,
                                    accountNames: [String: String], waivers: WaiverIndex) -> (PolicyResult, [WaivedFinding])? {
        let evaluated = policy.scope.isEverything ? regions
            : regions.filter { policy.scope.contains(account: $0.accountId, region: $0.region) }
        let judged: (findings: [Finding], waived: [WaivedFinding])
        if let check = policy.check as? any Check<AccountRegion> {
            let subjects = evaluated.map {
                AccountRegion(accountId: $0.accountId, region: $0.region,
                              settings: context.settings(account: $0.accountId, region: $0.region))
            }
            judged = judge(subjects, policy: policy, accountNames: accountNames, waivers: waivers, asOf: context.asOf) {
                check.evaluate($0, in: context)
            }
        } else if let check = policy.check as? any Check<Workload> {
            judged = judgeWorkloads(policy, check, regions: evaluated, context: context, accountNames: accountNames,
                                    waivers: waivers)
        } else {
            return nil
        }
        return (PolicyResult(policy: policy.info, evaluated: [], findings: judged.findings, evaluatedRegions: evaluated),
                judged.waived)
    }

    private static func judgeWorkloads(_ policy: Policy, _ check: any Check<Workload>, regions: [RegionRef],
                                       context: EvaluationContext, accountNames: [String: String],
                                       waivers: WaiverIndex) -> (findings: [Finding], waived: [WaivedFinding]) {
        let inScope = Set(regions)
        let index = context.workloads
        let workloads = (index?.workloads ?? []).filter {
            inScope.contains(RegionRef(accountId: $0.accountId, region: $0.region))
                && (policy.scope.names.isEmpty || $0.name.map { name in policy.scope.names.contains { Glob.matches($0, name) } } ?? false)
        }
        var judged = judge(workloads, policy: policy, accountNames: accountNames, waivers: waivers, asOf: context.asOf) {
            check.evaluate($0, in: context)
        }
        let unread = regions.filter { !(index?.isCollected(account: $0.accountId, region: $0.region) ?? false) }
            .map { AccountRegion(accountId: $0.accountId, region: $0.region, settings: nil) }
        let cannotVerify = judge(unread, policy: policy, accountNames: accountNames, waivers: waivers, asOf: context.asOf) { _ in
            [Violation("The workloads of this account×region were not read, so whether they run approved, current images cannot be verified.",
                       evidence: ["workloads": "not collected"])]
        }
        judged.findings = (judged.findings + cannotVerify.findings).sorted {
            ($0.accountId, $0.region, $0.resourceType, $0.resourceId, $0.discriminator ?? "")
                < ($1.accountId, $1.region, $1.resourceType, $1.resourceId, $1.discriminator ?? "")
        }
        judged.waived += cannotVerify.waived
        return judged
    }
}
