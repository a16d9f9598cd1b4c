import AmigoCore

/// A failing policy and its check's descriptor: what the HTML and Markdown "How to fix"
/// sections both render. The commands are for the reviewer to run (amigo never changes AWS).
struct RemediationRow {
    let policyId: String
    let findings: Int
    let check: CheckDescriptor

    var findingsLabel: String { "\(findings) finding\(findings == 1 ? "" : "s")" }

    static func failing(_ d: ReportDigest) -> [RemediationRow] {
        d.policies.compactMap { row in
            guard !row.findings.isEmpty, let check = CheckRegistry.type(for: row.info.check)?.descriptor else { return nil }
            return RemediationRow(policyId: row.info.id, findings: row.findings.count, check: check)
        }
    }
}

extension HTMLPage {
    mutating func remediation(_ d: ReportDigest) {
        let rows = RemediationRow.failing(d)
        guard !rows.isEmpty else { return }
        line("<section id=\"remediation\">")
        line("<h2>How to fix <span class=\"count\">(\(rows.count))</span></h2>")
        for row in rows {
            let fix = row.check.remediation
            line("<h3><span class=\"mono\">\(h(row.policyId))</span> <span class=\"muted\">(\(row.findingsLabel))</span></h3>")
            line("<p><strong>Why:</strong> \(h(row.check.rationale))</p>")
            line("<p><strong>Fix:</strong> \(h(fix.summary))</p>")
            if !fix.commands.isEmpty {
                line("<pre class=\"mono\">\(fix.commands.map(h).joined(separator: "\n"))</pre>")
            }
            line("<p><a href=\"\(h(fix.documentation))\" rel=\"noreferrer\">Documentation</a></p>")
        }
        line("</section>")
    }
}

enum MarkdownRemediation {
    /// The same as the HTML section, for pasting into a ticket.
    static func section(_ d: ReportDigest, cell: (String) -> String) -> String {
        let rows = RemediationRow.failing(d)
        guard !rows.isEmpty else { return "" }
        var md = "\n### How to fix\n"
        for row in rows {
            let fix = row.check.remediation
            md += "\n**\(cell(row.policyId))** (\(row.findingsLabel)): \(cell(fix.summary))"
            md += " [Documentation](\(fix.documentation))\n"
            if !fix.commands.isEmpty { md += "\n```sh\n" + fix.commands.joined(separator: "\n") + "\n```\n" }
        }
        return md
    }
}
