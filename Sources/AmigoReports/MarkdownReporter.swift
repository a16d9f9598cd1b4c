import AmigoCore
import Foundation

/// `report.md`: GitHub-flavoured Markdown for a PR comment or `$GITHUB_STEP_SUMMARY`.
/// GitHub caps comments at 65,536 characters, so the findings table stops after
/// `maxFindingRows` rows and says how many more the JSON report holds.
public enum MarkdownReporter: DigestReporter {
    public static let id = "markdown"
    public static let fileName = "report.md"
    static let maxFindingRows = 200

    static func render(_ digest: ReportDigest, context: RenderContext) -> Data {
        let report = digest.report
        let scan = report.scan
        var md = "## amigo AMI compliance report\n\n"
        md += "Scan \(scan.id.map { "#\($0)" } ?? "(unsaved)") · source `\(code(scan.source))` · status **\(cell(scan.status.rawValue))**"
        md += " · as of \(Timestamp.iso(scan.asOf)) · generated \(Timestamp.iso(context.generatedAt))"
        md += " by amigo \(cell(context.toolVersion))\n\n"
        if digest.isIncomplete {
            md += "> [!WARNING]\n> **Scan incomplete:** \(digest.errors.count) scan error(s),"
            md += " \(digest.unreadableRegions.count) account×region not fully read."
            md += " Images there are not reported as compliant.\n\n"
        }
        for warning in digest.warnings { md += "> [!WARNING]\n> \(cell(warning))\n\n" }
        if let line = digest.baselineLine {
            md += "**\(cell(line))**\n\n"
            for f in digest.report.baseline?.resolved ?? [] {
                md += "- resolved: \(f.severity.rawValue) \(cell(f.policyId)) \(cell(f.accountId))/\(cell(f.region))/\(cell(f.resourceId))\n"
            }
            if !(digest.report.baseline?.resolved.isEmpty ?? true) { md += "\n" }
        }
        md += "**\(digest.findings.count)** findings in **\(report.images.count)** images"
        md += " · \(digest.waived.count) waived · \(digest.errors.count) scan error\(digest.errors.count == 1 ? "" : "s")\n\n"

        md += MarkdownHeadline.headline(Headline(tally: digest.complianceTally(), evaluation: report.evaluation?.id,
                                                 trend: context.trend))
        if let trend = context.trend { md += "\n" + MarkdownHeadline.trend(trend) }

        md += rollups(digest)

        md += "\n### Policies\n\n| Policy | Check | Severity | Evaluated | Failed | Findings | Waived |\n|---|---|---|---:|---:|---:|---:|\n"
        for row in digest.policies {
            md += "| \(cell(row.info.id)) | \(cell(row.info.check)) | \(row.info.severity.rawValue) | \(row.evaluated)"
            md += " | \(row.failed) | \(row.findings.count) | \(row.waived.count) |\n"
        }
        md += MarkdownRemediation.section(digest, cell: cell)

        md += "\n### Accounts\n\n| Account | Images | Critical | High | Medium | Low | Info | Waived | Scan errors |\n"
        md += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for row in digest.accounts {
            let counts = ReportDigest.severities.map { String(row.bySeverity[$0] ?? 0) }.joined(separator: " | ")
            md += "| \(cell(digest.accountLabel(row.id, name: row.name))) | \(row.images) | \(counts) | \(row.waived) | \(row.scanErrors) |\n"
        }

        if !digest.errors.isEmpty || !digest.unreadableRegions.isEmpty {
            md += "\n### Scan errors\n\n| Account | Region | Operation | Code | Message |\n|---|---|---|---|---|\n"
            for e in digest.errors {
                md += "| \(cell(e.accountId)) | \(cell(e.region ?? "(account)")) | \(cell(e.operation)) | \(cell(e.code)) | \(cell(e.message)) |\n"
            }
            md += "\nRegions not fully read (not compliant, unknown):\n\n"
            for region in digest.unreadableRegions {
                md += "- \(cell(region.accountId))/\(cell(region.region)): \(region.status.rawValue)"
                md += region.reason.map { " — \(cell($0))" } ?? ""
                md += "\n"
            }
        }
        if !digest.skippedRegions.isEmpty {
            md += "\n### Skipped regions\n\n| Account | Region | Reason |\n|---|---|---|\n"
            for region in digest.skippedRegions {
                md += "| \(cell(region.accountId)) | \(cell(region.region)) | \(cell(region.reason ?? "")) |\n"
            }
        }

        md += "\n### Findings\n\n"
        if digest.findings.isEmpty {
            md += "No findings.\n"
        } else {
            md += "| Severity | Policy | Account | Region | Resource | Message |\n|---|---|---|---|---|---|\n"
            for f in digest.findings.prefix(maxFindingRows) {
                md += "| \(f.severity.rawValue) | \(cell(f.policyId)) | \(cell(digest.accountLabel(f.accountId, name: f.accountName)))"
                md += " | \(cell(f.region)) | \(cell(f.resourceLabel)) | \(cell(f.message)) |\n"
            }
            if digest.findings.count > maxFindingRows {
                md += "\n… and \(digest.findings.count - maxFindingRows) more: see findings.json.\n"
            }
        }

        if !digest.waived.isEmpty {
            md += "\n### Waived\n\n| Severity | Policy | Account | Region | Resource | Reason | Expires |\n|---|---|---|---|---|---|---|\n"
            for w in digest.waived {
                let f = w.finding
                md += "| \(f.severity.rawValue) | \(cell(f.policyId)) | \(cell(digest.accountLabel(f.accountId, name: f.accountName)))"
                md += " | \(cell(f.region)) | \(cell(f.resourceLabel)) | \(cell(w.reason)) | \(w.expires.map(Timestamp.day) ?? "never") |\n"
            }
        }
        return Data(md.utf8)
    }

    private static func cell(_ text: String) -> String { Escape.markdownCell(text) }

    /// Inside a code span nothing is markup; only a backtick could end it.
    private static func code(_ text: String) -> String {
        Escape.inert(text).replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "\n", with: " ")
    }
}
