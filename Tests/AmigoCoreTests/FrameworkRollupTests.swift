import Foundation
import Testing
@testable import AmigoCore

/// Each control status from a hand-built report: what makes a control pass, fail, manual or
/// not evaluated, and that nothing amigo did not see is ever a pass.
struct FrameworkRollupTests {
    static let images = [ImageRef(accountId: "111111111111", region: "eu-west-1", imageId: "ami-1"),
                         ImageRef(accountId: "222222222222", region: "us-east-1", imageId: "ami-2")]

    static func policy(_ id: String) -> PolicyInfo { PolicyInfo(id: id, check: "public-sharing", severity: .high) }

    static func finding(_ policy: String, image: Int) -> Finding {
        Finding(policyId: policy, check: "public-sharing", severity: .high, accountId: images[image].accountId,
                region: images[image].region, resourceId: images[image].imageId, message: "public")
    }

    static func control(_ id: String, _ policies: [String], manual: String? = nil) -> FrameworkControl {
        FrameworkControl(id: id, title: "control \(id)", section: id, url: nil, policies: policies, manual: manual, note: nil)
    }

    static func rollup(results: [PolicyResult], coverage: [RegionCoverage], controls: [FrameworkControl],
                       scopes: [String: Scope] = [:], waived: [WaivedFinding] = []) -> [String: ControlResult] {
        let scan = ScanInfo(startedAt: Date(timeIntervalSince1970: 0), asOf: Date(timeIntervalSince1970: 0),
                            status: .complete, source: "test")
        let report = Report(scan: scan, accounts: [], images: images, results: results, waived: waived, coverage: coverage)
        let framework = Framework(id: "t", name: "T", version: "1", document: "T", url: "https://example.com",
                                  file: "t.yml", controls: controls)
        let rollup = FrameworkRollup(framework: framework, report: report, scopes: scopes, enabledPolicies: [])
        #expect(rollup.controls.map(\.control.id) == controls.map(\.id))
        return Dictionary(uniqueKeysWithValues: rollup.controls.map { ($0.control.id, $0) })
    }

    static let read = [RegionCoverage(accountId: "111111111111", region: "eu-west-1", status: .scanned),
                       RegionCoverage(accountId: "222222222222", region: "us-east-1", status: .scanned)]

    @Test func passFailAndCounts() {
        let results = [PolicyResult(policy: Self.policy("clean"), evaluated: [0, 1], findings: []),
                       PolicyResult(policy: Self.policy("dirty"), evaluated: [0, 1],
                                    findings: [Self.finding("dirty", image: 1), Self.finding("dirty", image: 1)])]
        let waived = [WaivedFinding(finding: Self.finding("clean", image: 0), reason: "ok", expires: nil)]
        let r = Self.rollup(results: results, coverage: Self.read,
                            controls: [Self.control("a", ["clean"]), Self.control("b", ["clean", "dirty"])], waived: waived)
        #expect(r["a"]?.status == .pass && r["a"]?.evaluated == 2 && r["a"]?.waived == 1 && r["a"]?.findings == 0)
        #expect(r["b"]?.status == .fail)
        #expect(r["b"]?.policies.map(\.status) == [.pass, .fail])
        #expect(r["b"]?.policies.last.map { [$0.evaluated, $0.failed, $0.findings] } == [2, 1, 2])
    }

    @Test func manualUnlessItsPolicyIsEnabled() {
        let results = [PolicyResult(policy: Self.policy("approved"), evaluated: [0, 1], findings: [])]
        let r = Self.rollup(results: results, coverage: Self.read,
                            controls: [Self.control("m", ["not-enabled"], manual: "people decide"),
                                       Self.control("j", ["approved", "not-enabled"], manual: "people decide")])
        #expect(r["m"]?.status == .manual && r["m"]?.reason == "people decide" && r["m"]?.policies.isEmpty == true)
        #expect(r["j"]?.status == .pass && r["j"]?.policies.map(\.policyId) == ["approved"])
    }

    @Test func aPolicyMissingFromTheEvaluationOrJudgingNothingIsNotEvaluated() {
        let results = [PolicyResult(policy: Self.policy("empty"), evaluated: [], findings: [])]
        let r = Self.rollup(results: results, coverage: Self.read,
                            controls: [Self.control("missing", ["gone"]), Self.control("empty", ["empty"])])
        #expect(r["missing"]?.status == .notEvaluated && r["missing"]?.reason == "policy gone is not part of this evaluation")
        #expect(r["empty"]?.status == .notEvaluated)
    }

    /// A partly read or unread account×region in a policy's scope keeps its controls from
    /// passing; outside the scope it does not count; a finding still fails the control.
    @Test func unreadRegionsInScopeAreNeverAPass() {
        let coverage = Self.read + [RegionCoverage(accountId: "333333333333", region: "eu-west-1", status: .partial)]
        let results = [PolicyResult(policy: Self.policy("everywhere"), evaluated: [0, 1], findings: []),
                       PolicyResult(policy: Self.policy("scoped"), evaluated: [0], findings: []),
                       PolicyResult(policy: Self.policy("dirty"), evaluated: [0, 1], findings: [Self.finding("dirty", image: 0)])]
        let r = Self.rollup(results: results, coverage: coverage,
                            controls: [Self.control("e", ["everywhere"]), Self.control("s", ["scoped"]),
                                       Self.control("d", ["dirty"])],
                            scopes: ["scoped": Scope(accounts: ["111111111111"])])
        #expect(r["e"]?.status == .notEvaluated)
        #expect(r["e"]?.reason == "1 account×region in the scope of everywhere not fully read")
        #expect(r["s"]?.status == .pass)
        #expect(r["d"]?.status == .fail)
        let whole = Self.rollup(results: results, coverage: Self.read + [RegionCoverage(accountId: "*", region: "*", status: .failed)],
                                controls: [Self.control("s", ["scoped"])], scopes: ["scoped": Scope(accounts: ["111111111111"])])
        #expect(whole["s"]?.status == .notEvaluated)
    }
}
