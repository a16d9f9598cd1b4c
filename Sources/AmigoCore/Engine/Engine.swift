import Foundation

/// The rule engine: a pure function from an inventory, policies and an as-of date to findings.
/// Image policies are judged here; region policies in Engine+Regions.swift.
///
/// Images are visited in report order (account, region, image id), chunk by chunk in
/// parallel, so every policy's findings come out already sorted and the chunks only need
/// concatenating: no million-element sort of findings, and no shared mutable state but the
/// per-chunk result slots.
public enum Engine {
    public static func evaluate(_ inventory: Inventory, policies: PolicySet, asOf: Date) -> Evaluation {
        let images = inventory.images
        let context = makeContext(inventory, asOf: asOf)
        let accountNames = Dictionary(inventory.accounts.compactMap { a in a.name.map { (a.id, $0) } },
                                      uniquingKeysWith: { first, _ in first })
        let waivers = WaiverIndex(policies.waivers, asOf: asOf)
        let order = ReportOrder.permutation(of: images)

        let compiled = policies.policies.compactMap(CompiledPolicy.init)
        let chunkSize = max(1_024, images.count / (ProcessInfo.processInfo.activeProcessorCount * 8) + 1)
        let chunkCount = (images.count + chunkSize - 1) / chunkSize
        let slots = ResultSlots<ChunkResult>(count: chunkCount)
        compiled.withUnsafeBufferPointer { policyBuffer in
            let sharedPolicies = SharedBuffer(policyBuffer)
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                var result = ChunkResult(policyCount: compiled.count)
                for position in chunk * chunkSize ..< min(images.count, (chunk + 1) * chunkSize) {
                    judge(images[order[position]], policies: sharedPolicies.buffer, context: context,
                          accountNames: accountNames, waivers: waivers, into: &result)
                }
                slots.store(result, at: chunk)
            }
        }
        var chunks = slots.take()

        var results: [PolicyResult] = []
        results.reserveCapacity(policies.policies.count)
        var waived = chunks.flatMap(\.waived)
        let regions = readableRegions(inventory)
        var p = 0  // index of the next image policy in `compiled` and `chunks[].findings`
        for policy in policies.policies {
            if let regionCheck = policy.regionCheck {
                let (result, regionWaived) = evaluate(policy, regionCheck, regions: regions, context: context,
                                                      accountNames: accountNames, waivers: waivers)
                results.append(result)
                waived += regionWaived
                continue
            }
            let findings = MovableList.concatenate(chunks.map { $0.findings[p] })
            let evaluated = compiled[p].everything ? Array(images.indices)
                                                   : images.indices.filter { policy.scope.contains(images[$0]) }
            results.append(PolicyResult(policy: policy.info, evaluated: evaluated, findings: findings))
            p += 1
        }
        waived.sort { Finding.reportOrder($0.finding, $1.finding) }
        chunks = []
        let refs = images.map { ImageRef(accountId: $0.accountId, region: $0.region, imageId: $0.imageId, name: $0.name) }
        return Evaluation(images: refs, results: results, waived: waived)
    }

    /// One image against every policy. The image is copied once, here, rather than once per
    /// policy call (an Image holds dozens of references; per-call copies dominated the profile).
    private static func judge(_ image: Image, policies: UnsafeBufferPointer<CompiledPolicy>,
                              context: EvaluationContext, accountNames: [String: String],
                              waivers: WaiverIndex, into result: inout ChunkResult) {
        let accountName = accountNames[image.accountId]
        for p in policies.indices where policies[p].everything || policies[p].scope.contains(image) {
            var violations = policies[p].check.evaluate(image, in: context)
            if violations.isEmpty { continue }
            if violations.count > 1 { violations.sort { $0.message < $1.message } }
            for violation in violations {
                let finding = policies[p].finding(image, accountName: accountName, violation)
                if let waiver = waivers.waiver(covering: finding, asOf: context.asOf) {
                    result.waived.append(WaivedFinding(finding: finding, reason: waiver.reason, expires: waiver.expires))
                } else {
                    result.findings[p].append(finding)
                }
            }
        }
    }

    static func makeContext(_ inventory: Inventory, asOf: Date) -> EvaluationContext {
        var snapshots: [String: Snapshot] = [:]
        snapshots.reserveCapacity(inventory.snapshots.count)
        for s in inventory.snapshots {
            snapshots[EvaluationContext.snapshotKey(account: s.accountId, region: s.region, snapshotId: s.snapshotId)] = s
        }
        var settings: [String: RegionSettings] = [:]
        for s in inventory.regionSettings { settings["\(s.accountId)/\(s.region)"] = s }
        return EvaluationContext(asOf: asOf, organization: inventory.organization, snapshots: snapshots,
                                 regionSettings: settings)
    }
}

/// What the per-image loop needs of a policy, without copying the whole `Policy` each time.
private struct CompiledPolicy: Sendable {
    let id: String
    let checkId: String
    let severity: Severity
    let everything: Bool
    let scope: Scope
    let check: any Check

    /// nil for a region policy: those are judged per account×region, not per image.
    init?(_ policy: Policy) {
        guard let check = policy.check else { return nil }
        id = policy.id; checkId = policy.checkId; severity = policy.severity
        everything = policy.scope.isEverything; scope = policy.scope; self.check = check
    }

    func finding(_ image: Image, accountName: String?, _ violation: Violation) -> Finding {
        Finding(policyId: id, check: checkId, severity: severity, accountId: image.accountId,
                accountName: accountName, region: image.region, resourceId: image.imageId,
                resourceName: image.name, message: violation.message, evidence: violation.evidence)
    }
}

private struct ChunkResult: Sendable {
    let findings: [MovableList<Finding>]
    var waived: [WaivedFinding] = []
    init(policyCount: Int) { findings = (0..<policyCount).map { _ in MovableList() } }
}

extension Scope {
    var isEverything: Bool { accounts.isEmpty && regions.isEmpty && names.isEmpty }
}

/// Waivers still in force, grouped by the policy they name, so a finding is compared only
/// with waivers that could cover it.
struct WaiverIndex: Sendable {
    private let byPolicy: [String: [Waiver]]
    private let wildcard: [Waiver]

    init(_ waivers: [Waiver], asOf: Date) {
        let active = waivers.filter { $0.expires.map { $0 > asOf } ?? true }
        byPolicy = Dictionary(grouping: active.filter { $0.policyId != "*" }, by: \.policyId)
        wildcard = active.filter { $0.policyId == "*" }
    }

    func waiver(covering finding: Finding, asOf: Date) -> Waiver? {
        if byPolicy.isEmpty && wildcard.isEmpty { return nil }
        if let list = byPolicy[finding.policyId], let w = list.first(where: { $0.covers(finding, asOf: asOf) }) {
            return w
        }
        return wildcard.first { $0.covers(finding, asOf: asOf) }
    }
}
