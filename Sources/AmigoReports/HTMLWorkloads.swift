import AmigoCore
import Foundation

/// The "workloads" section: per account, what runs (or would launch) on an unapproved or
/// outdated image, and per account×region what would stop launching if Allowed AMIs went
/// from audit mode to enabled. Read from the workload findings only; absent without them.
extension HTMLPage {
    static let unapprovedOrOutdatedChecks: Set<String> = ["approved-image", "image-current"]
    static let allowedImagesCheck = "image-allowed"

    mutating func workloads(_ d: ReportDigest) {
        let workloadFindings = d.findings.filter { $0.resourceType == Finding.workloadResourceType }
        guard !workloadFindings.isEmpty else { return }
        let onBadImages = workloadFindings.filter { Self.unapprovedOrOutdatedChecks.contains($0.check) }
        let wouldStop = workloadFindings.filter { $0.check == Self.allowedImagesCheck }
        let e = Escape.html
        line("<section id=\"workloads\">")
        line("<h2>Workloads <span class=\"count\">(\(Set(onBadImages.map(Self.workloadKey)).count) on unapproved or outdated images)</span></h2>")
        line("<p class=\"note\">Instances, launch template versions, Auto Scaling groups, launch configurations and SSM parameters, by account, whose image is not approved or not current.</p>")
        for (account, findings) in Dictionary(grouping: onBadImages, by: \.accountId).sorted(by: { $0.key < $1.key }) {
            line("<h3>\(e(d.accountLabel(account, name: findings.first?.accountName)))</h3>")
            workloadTable(findings, columns: ["Region", "Workload", "Image", "Policy", "Why"])
        }
        if !wouldStop.isEmpty {
            line("<h3>Would stop launching if Allowed AMIs were enabled</h3>")
            for (region, findings) in Dictionary(grouping: wouldStop, by: { "\($0.accountId)/\($0.region)" }).sorted(by: { $0.key < $1.key }) {
                let state = findings.first?.evidence["allowedImagesState"] ?? "unknown"
                line("<p class=\"note\"><span class=\"mono\">\(e(region))</span>: Allowed AMIs \(e(state)), \(findings.count) workload(s)</p>")
                workloadTable(findings, columns: ["Region", "Workload", "Image", "Policy", "Why"])
            }
        }
        line("</section>")
    }

    private static func workloadKey(_ f: Finding) -> String { "\(f.accountId)/\(f.region)/\(f.resourceId)/\(f.discriminator ?? "")" }

    private mutating func workloadTable(_ findings: [Finding], columns: [String]) {
        let e = Escape.html
        line("<table>")
        line("<thead><tr>" + columns.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead>")
        line("<tbody>")
        for f in findings.sorted(by: { ($0.region, $0.resourceId, $0.policyId, $0.message) < ($1.region, $1.resourceId, $1.policyId, $1.message) }) {
            let kind = f.evidence["workload"] ?? f.resourceType
            let name = f.resourceName.map { "<div>\(e($0))</div>" } ?? ""
            let via = f.evidence["via"].map { "<div class=\"muted\">via \(e($0))</div>" } ?? ""
            line("<tr><td class=\"mono\">\(e(f.region))</td>"
                 + "<td><span class=\"muted\">\(e(kind))</span> <span class=\"mono\">\(e(f.resourceId))</span>\(name)\(via)</td>"
                 + "<td class=\"mono\">\(e(f.evidence["imageId"] ?? "-"))</td>"
                 + "<td class=\"mono\">\(e(f.policyId))</td><td class=\"msg\">\(e(f.message))</td></tr>")
        }
        line("</tbody></table>")
    }
}
