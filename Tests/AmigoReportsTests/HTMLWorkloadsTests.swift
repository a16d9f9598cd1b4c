import AmigoCore
@testable import AmigoReports
import Foundation
import Testing

/// The HTML report's workloads section, pinned by a golden of the section alone (the other
/// goldens' reports have no workload findings, so the section is absent there).
struct HTMLWorkloadsTests {
    static let approved = PolicyInfo(id: "workload-approved-image", check: "approved-image", severity: .high,
                                     resourceType: "workload")
    static let current = PolicyInfo(id: "workload-image-current", check: "image-current", severity: .medium,
                                    resourceType: "workload")
    static let allowed = PolicyInfo(id: "workload-image-allowed", check: "image-allowed", severity: .medium,
                                    resourceType: "workload")

    static func workload(_ policy: PolicyInfo, _ account: String, _ kind: String, _ id: String, image: String,
                         _ message: String, evidence: [String: String] = [:]) -> Finding {
        Finding(policyId: policy.id, check: policy.check, severity: policy.severity, accountId: account,
                region: "us-east-1", resourceType: Finding.workloadResourceType, resourceId: id,
                resourceName: kind == "instance" ? "web <1>" : nil, message: message,
                evidence: ["workload": kind, "imageId": image].merging(evidence) { _, new in new },
                discriminator: "\(kind) \(image)")
    }

    static var report: Report {
        var report = ReportFixture.report
        report.results += [
            PolicyResult(policy: approved, evaluated: [], findings: [
                workload(approved, "222222222222", "instance", "i-0abc", image: "ami-0foreign",
                         "The instance uses image \"ami-0foreign\" of 999999999999, which no rule of the policy approves."),
            ], evaluatedRegions: ReportFixture.regions),
            PolicyResult(policy: current, evaluated: [], findings: [
                workload(current, "111111111111", "auto-scaling-group", "web-asg", image: "ami-0old",
                         "The Auto Scaling group uses image \"ami-0old\", deprecated on 2025-01-01.",
                         evidence: ["via": "launch-template \"lt-0abc:$Default\""]),
            ], evaluatedRegions: ReportFixture.regions),
            PolicyResult(policy: allowed, evaluated: [], findings: [
                workload(allowed, "111111111111", "launch-template", "lt-0abc:3", image: "ami-0foreign",
                         "The launch template version uses image \"ami-0foreign\", which none of the region's 1 Allowed AMIs criteria allows: it would stop launching if Allowed AMIs went from audit mode to enabled.",
                         evidence: ["allowedImagesState": "audit-mode"]),
            ], evaluatedRegions: ReportFixture.regions),
        ]
        return report
    }

    static func section(_ html: String) throws -> String {
        let start = try #require(html.range(of: "<section id=\"workloads\">"))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        return String(html[start.lowerBound..<end.upperBound]) + "\n"
    }

    @Test func workloadsSectionMatchesGolden() throws {
        let html = String(decoding: HTMLReporter.render(Self.report, context: ReportFixture.context), as: UTF8.self)
        let section = try Self.section(html)
        #expect(section.contains("web &lt;1&gt;"), "AWS strings are escaped")
        #expect(section.contains("Would stop launching if Allowed AMIs were enabled"))
        try Golden.check(Data(section.utf8), against: "workloads-section.html")
    }

    @Test func noWorkloadFindingsNoSection() {
        let html = String(decoding: HTMLReporter.render(ReportFixture.report, context: ReportFixture.context), as: UTF8.self)
        #expect(!html.contains("id=\"workloads\""))
    }
}
