import AmigoCore

extension HTMLPage {
    /// Why each failing policy matters and how to fix it, from its check's descriptor: the
    /// commands are for the reviewer to run (amigo itself never changes anything).
    mutating func remediation(_ d: ReportDigest) {
        let failing = d.policies.filter { !$0.findings.isEmpty }
        guard !failing.isEmpty else { return }
        line("<section id=\"remediation\">")
        line("<h2>How to fix <span class=\"count\">(\(failing.count))</span></h2>")
        for row in failing {
            guard let check = CheckRegistry.type(for: row.info.check)?.descriptor else { continue }
            let fix = check.remediation
            line("<h3><span class=\"mono\">\(h(row.info.id))</span> <span class=\"muted\">(\(row.findings.count) finding\(row.findings.count == 1 ? "" : "s"))</span></h3>")
            line("<p><strong>Why:</strong> \(h(check.rationale))</p>")
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
        let failing = d.policies.filter { !$0.findings.isEmpty }
        guard !failing.isEmpty else { return "" }
        var md = "\n### How to fix\n"
        for row in failing {
            guard let check = CheckRegistry.type(for: row.info.check)?.descriptor else { continue }
            let fix = check.remediation
            md += "\n**\(cell(row.info.id))** (\(row.findings.count) finding\(row.findings.count == 1 ? "" : "s")): \(cell(fix.summary))"
            md += " [Documentation](\(fix.documentation))\n"
            if !fix.commands.isEmpty { md += "\n```sh\n" + fix.commands.joined(separator: "\n") + "\n```\n" }
        }
        return md
    }
}
