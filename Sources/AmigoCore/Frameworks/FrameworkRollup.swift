/// Where a framework control stands after an evaluation.
public enum ControlStatus: String, Sendable, Hashable, CaseIterable {
    /// Every policy evidencing it was judged on everything in its scope, with no open finding.
    case pass
    /// A policy evidencing it has an open finding.
    case fail
    /// A person judges it (the framework file says why); no policy of it was enabled.
    case manual
    /// Not judged: a policy of it is not in the evaluation, judged nothing, or part of its
    /// scope was not read. Never shown as a pass: amigo did not see enough.
    case notEvaluated = "not-evaluated"
}

/// One policy's part in a control: its counts in this evaluation.
public struct ControlPolicyResult: Sendable, Hashable {
    public var policyId: String
    public var status: ControlStatus
    /// Why the policy could not be judged (status `notEvaluated`).
    public var reason: String?
    /// Images plus account×regions the policy was evaluated against.
    public var evaluated: Int
    /// Of those, how many have an open finding.
    public var failed: Int
    public var findings: Int
    public var waived: Int
}

public struct ControlResult: Sendable, Hashable {
    public var control: FrameworkControl
    public var status: ControlStatus
    /// The manual reason, or why it is not evaluated.
    public var reason: String?
    /// The control's policies in this evaluation (a manual control's: only those enabled).
    public var policies: [ControlPolicyResult]

    public var evaluated: Int { policies.reduce(0) { $0 + $1.evaluated } }
    public var failed: Int { policies.reduce(0) { $0 + $1.failed } }
    public var findings: Int { policies.reduce(0) { $0 + $1.findings } }
    public var waived: Int { policies.reduce(0) { $0 + $1.waived } }
}

/// A framework's controls judged from one evaluation: what `--framework` adds to every report.
public struct FrameworkRollup: Sendable, Hashable {
    public var framework: Framework
    public var controls: [ControlResult]
    /// Policies `--framework` enabled for this framework because the policy files lacked them.
    public var enabledPolicies: [String]

    public func count(_ status: ControlStatus) -> Int { controls.filter { $0.status == status }.count }

    /// Judges each control from the report's policy results. `scopes` are the evaluated
    /// policies' scopes: an account×region that was not fully read counts against a policy
    /// only where the policy applies.
    public init(framework: Framework, report: Report, scopes: [String: Scope], enabledPolicies: [String]) {
        self.framework = framework
        self.enabledPolicies = enabledPolicies
        let results = Dictionary(report.results.map { ($0.policy.id, $0) }, uniquingKeysWith: { first, _ in first })
        let waived = Dictionary(grouping: report.waived, by: \.finding.policyId)
        let gaps = report.coverage.filter { $0.status == .failed || $0.status == .partial }
        func judge(_ id: String) -> ControlPolicyResult {
            guard let result = results[id] else {
                return ControlPolicyResult(policyId: id, status: .notEvaluated,
                                           reason: "policy \(id) is not part of this evaluation", evaluated: 0, failed: 0,
                                           findings: 0, waived: waived[id]?.count ?? 0)
            }
            let evaluated = Set(result.evaluated).count + Set(result.evaluatedRegions).count
            let failed = Set(result.findings.map { [$0.accountId, $0.region, $0.resourceType, $0.resourceId] }).count
            let scope = scopes[id] ?? .everything
            let unread = gaps.filter { $0.accountId == "*" || $0.region == "*" || scope.contains(account: $0.accountId, region: $0.region) }
            var status = ControlStatus.pass
            var reason: String?
            if !result.findings.isEmpty {
                status = .fail
            } else if !unread.isEmpty {
                status = .notEvaluated
                reason = "\(unread.count) account×region\(unread.count == 1 ? "" : "s") in the scope of \(id) not fully read"
            } else if evaluated == 0 {
                status = .notEvaluated
                reason = "\(id) evaluated nothing: no image or account×region in its scope was read"
            }
            return ControlPolicyResult(policyId: id, status: status, reason: reason, evaluated: evaluated,
                                       failed: failed, findings: result.findings.count, waived: waived[id]?.count ?? 0)
        }
        controls = framework.controls.map { control in
            let judged = control.manual == nil ? control.policies : control.policies.filter { results[$0] != nil }
            if let manual = control.manual, judged.isEmpty {
                return ControlResult(control: control, status: .manual, reason: manual, policies: [])
            }
            let policies = judged.map(judge)
            if policies.contains(where: { $0.status == .fail }) {
                return ControlResult(control: control, status: .fail, reason: nil, policies: policies)
            }
            if let missing = policies.first(where: { $0.status == .notEvaluated }) {
                return ControlResult(control: control, status: .notEvaluated, reason: missing.reason, policies: policies)
            }
            return ControlResult(control: control, status: .pass, reason: nil, policies: policies)
        }
    }
}
