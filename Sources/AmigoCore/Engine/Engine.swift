import Foundation

/// The rule engine: a pure function from an inventory, policies and an as-of date to findings.
/// Image policies are judged here; region and workload policies in Engine+Subjects.swift.
///
/// Images are visited in report order (account, region, image id), chunk by chunk in
/// parallel, so every policy's findings come out already sorted and the chunks only need
/// concatenating: no million-element sort of findings, and no shared mutable state but the
/// per-chunk result slots.
public enum Engine {
    /// The whole inventory at once; `EngineRun` gives the same, fed one account×region at a time.
    public static func evaluate(_ inventory: Inventory, policies: PolicySet, asOf: Date) -> Evaluation {
        let workloads = policies.collectsWorkloads
            ? WorkloadIndex(workloads: inventory.workloads, referencedImages: inventory.referencedImages,
                            coverage: inventory.coverage, errors: inventory.errors)
            : nil
        var run = EngineRun(policies: policies, asOf: asOf, organization: inventory.organization,
                            accounts: inventory.accounts, workloads: workloads)
        run.add(images: inventory.images, snapshots: inventory.snapshots, settings: inventory.regionSettings)
        run.add(undecodable: inventory.errors)
        return run.finish(coverage: inventory.coverage)
    }

    /// Every image against every image policy, in report order, chunk by chunk in parallel.
    /// One result per chunk; each holds one finding list per policy in `compiled`.
    static func judge(_ images: [Image], policies compiled: [CompiledPolicy], context: EvaluationContext,
                      accountNames: [String: String], waivers: WaiverIndex,
                      strings: SharedStringTables) -> [ChunkResult] {
        let order = ReportOrder.permutation(of: images)
        let chunkSize = max(1_024, images.count / (ProcessInfo.processInfo.activeProcessorCount * 8) + 1)
        let chunkCount = (images.count + chunkSize - 1) / chunkSize
        let slots = ResultSlots<ChunkResult>(count: chunkCount)
        compiled.withUnsafeBufferPointer { policyBuffer in
            let sharedPolicies = SharedBuffer(policyBuffer)
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                var result = ChunkResult(policyCount: compiled.count)
                strings.withTable(for: chunk) { table in
                    for position in chunk * chunkSize ..< min(images.count, (chunk + 1) * chunkSize) {
                        judge(images[order[position]], policies: sharedPolicies.buffer, context: context,
                              accountNames: accountNames, waivers: waivers, strings: &table, into: &result)
                    }
                }
                slots.store(result, at: chunk)
            }
        }
        return slots.take()
    }

    /// One image against every policy. The image is copied once, here, rather than once per
    /// policy call (an Image holds dozens of references; per-call copies dominated the profile).
    static func judge(_ image: Image, policies: UnsafeBufferPointer<CompiledPolicy>,
                              context: EvaluationContext, accountNames: [String: String],
                              waivers: WaiverIndex, strings: inout StringTable, into result: inout ChunkResult) {
        let accountName = accountNames[image.accountId]
        var blastRadius: [String: String]?
        for p in policies.indices where policies[p].everything || policies[p].scope.contains(image) {
            var violations = policies[p].check.evaluate(image, in: context)
            if violations.isEmpty { continue }
            if violations.count > 1 { violations.sort { $0.message < $1.message } }
            if blastRadius == nil, let index = context.workloads {
                blastRadius = index.blastRadius(of: ImageKey(image)).evidence
            }
            for violation in violations {
                var finding = policies[p].finding(image, accountName: accountName, violation)
                if let blastRadius {
                    finding.evidence = Evidence(finding.evidence.dictionary.merging(blastRadius) { own, _ in own })
                }
                let waiver = waivers.waiver(covering: &finding, asOf: context.asOf)
                strings.intern(&finding)
                if let waiver {
                    result.waived.append(WaivedFinding(finding: finding, reason: waiver.reason, expires: waiver.expires))
                } else {
                    result.findings[p].append(finding)
                }
            }
        }
    }

    static func makeContext(_ inventory: Inventory, asOf: Date, organization: Organization?,
                            accounts: [String: Account], workloads: WorkloadIndex?) -> EvaluationContext {
        var snapshots: [String: Snapshot] = [:]
        snapshots.reserveCapacity(inventory.snapshots.count)
        for s in inventory.snapshots {
            snapshots[EvaluationContext.snapshotKey(account: s.accountId, region: s.region, snapshotId: s.snapshotId)] = s
        }
        var settings: [String: RegionSettings] = [:]
        for s in inventory.regionSettings { settings["\(s.accountId)/\(s.region)"] = s }
        return EvaluationContext(asOf: asOf, organization: organization, accounts: accounts, snapshots: snapshots,
                                 regionSettings: settings, workloads: workloads)
    }
}

/// What the per-image loop needs of a policy, without copying the whole `Policy` each time.
struct CompiledPolicy: Sendable {
    let id: String
    let checkId: String
    let severity: Severity
    let everything: Bool
    let scope: Scope
    let check: any Check<Image>

    /// nil for a policy about another subject (Engine+Subjects.swift).
    init?(_ policy: Policy) {
        guard let check = policy.check as? any Check<Image> else { return nil }
        id = policy.id; checkId = policy.checkId; severity = policy.severity
        everything = policy.scope.isEverything; scope = policy.scope; self.check = check
    }

    func finding(_ image: Image, accountName: String?, _ violation: Violation) -> Finding {
        Engine.finding(image, policyId: id, checkId: checkId, severity: severity, accountName: accountName, violation)
    }
}

struct ChunkResult: Sendable {
    let findings: [MovableList<Finding>]
    var waived: [WaivedFinding] = []
    init(policyCount: Int) { findings = (0..<policyCount).map { _ in MovableList() } }
}

extension Scope {
    var isEverything: Bool { accounts.isEmpty && regions.isEmpty && names.isEmpty }
}

/// Waivers grouped by the policy they name, so a finding is compared only with waivers that
/// could cover it: those still in force, and those that expired (a finding they would have
/// covered says so, rather than come back in silence).
struct WaiverIndex: Sendable {
    private let active: Group
    private let expired: Group

    private struct Group: Sendable {
        let byPolicy: [String: [Waiver]]
        let wildcard: [Waiver]
        init(_ waivers: [Waiver]) {
            byPolicy = Dictionary(grouping: waivers.filter { $0.policyId != "*" }, by: \.policyId)
            wildcard = waivers.filter { $0.policyId == "*" }
        }
        func first(covering finding: Finding, asOf: Date) -> Waiver? {
            if byPolicy.isEmpty && wildcard.isEmpty { return nil }
            if let list = byPolicy[finding.policyId], let w = list.first(where: { $0.covers(finding, asOf: asOf) }) {
                return w
            }
            return wildcard.first { $0.covers(finding, asOf: asOf) }
        }
    }

    init(_ waivers: [Waiver], asOf: Date) {
        active = Group(waivers.filter { $0.expires.map { $0 > asOf } ?? true })
        expired = Group(waivers.filter { $0.expires.map { $0 <= asOf } ?? false })
    }

    /// The waiver in force that covers the finding; without one, a waiver that would have
    /// covered it but expired is written into the finding (message and evidence).
    func waiver(covering finding: inout Finding, asOf: Date) -> Waiver? {
        if let waiver = active.first(covering: finding, asOf: asOf) { return waiver }
        if let lapsed = expired.first(covering: finding, asOf: .distantPast), let expires = lapsed.expires {
            let note = "waiver expired on \(CivilDate.day(expires)) (\(lapsed.reason))"
            finding.message += " The \(note)."
            var evidence = finding.evidence.dictionary
            evidence["waiverExpired"] = "\(CivilDate.day(expires)) (\(lapsed.reason))"
            finding.evidence = Evidence(evidence)
        }
        return nil
    }
}
