import Foundation

/// The rule engine: a pure function from an inventory, policies and an as-of date to findings.
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

        let chunkSize = max(1_024, images.count / (ProcessInfo.processInfo.activeProcessorCount * 8) + 1)
        let chunkCount = (images.count + chunkSize - 1) / chunkSize
        let slots = ResultSlots<ChunkResult>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var result = ChunkResult(policyCount: policies.policies.count)
            let range = chunk * chunkSize ..< min(images.count, (chunk + 1) * chunkSize)
            for position in range {
                let image = images[order[position]]
                let accountName = accountNames[image.accountId]
                for (p, policy) in policies.policies.enumerated() where policy.scope.isEverything || policy.scope.contains(image) {
                    var violations = policy.check.evaluate(image, in: context)
                    if violations.isEmpty { continue }
                    if violations.count > 1 { violations.sort { $0.message < $1.message } }
                    for violation in violations {
                        let finding = Finding(policyId: policy.id, check: policy.checkId, severity: policy.severity,
                                              accountId: image.accountId, accountName: accountName,
                                              region: image.region, resourceId: image.imageId,
                                              resourceName: image.name, message: violation.message,
                                              evidence: violation.evidence)
                        if let waiver = waivers.waiver(covering: finding, asOf: asOf) {
                            result.waived.append(WaivedFinding(finding: finding, reason: waiver.reason,
                                                               expires: waiver.expires))
                        } else {
                            result.findings[p].append(finding)
                        }
                    }
                }
            }
            slots.store(result, at: chunk)
        }
        let chunks = slots.take()

        var results: [PolicyResult] = []
        results.reserveCapacity(policies.policies.count)
        for (p, policy) in policies.policies.enumerated() {
            var findings: [Finding] = []
            findings.reserveCapacity(chunks.reduce(0) { $0 + $1.findings[p].count })
            for chunk in chunks { findings += chunk.findings[p] }
            let evaluated = policy.scope.isEverything ? Array(images.indices)
                                                      : images.indices.filter { policy.scope.contains(images[$0]) }
            results.append(PolicyResult(policy: policy.info, evaluated: evaluated, findings: findings))
        }
        let waived = chunks.flatMap(\.waived).sorted { Finding.reportOrder($0.finding, $1.finding) }
        let refs = images.map { ImageRef(accountId: $0.accountId, region: $0.region, imageId: $0.imageId, name: $0.name) }
        return Evaluation(images: refs, results: results, waived: waived)
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

private struct ChunkResult: Sendable {
    var findings: [[Finding]]
    var waived: [WaivedFinding] = []
    init(policyCount: Int) { findings = Array(repeating: [], count: policyCount) }
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
