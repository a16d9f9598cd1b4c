import AmigoCore

/// The framework rollup in `report.md`: one table per framework, a row per control.
extension MarkdownReporter {
    static func rollups(_ digest: ReportDigest) -> String {
        var md = ""
        for r in digest.report.frameworks {
            md += "\n### Framework: \(Escape.markdownCell(r.heading))\n\n"
            md += "\(r.countsLine) · [\(Escape.markdownCell(r.framework.document))](\(Escape.markdownCell(r.framework.url)))\n\n"
            if let enabled = r.enabledLine { md += "\(Escape.markdownCell(enabled))\n\n" }
            md += "| Control | Title | Status | Policies | Evaluated | Failed | Findings | Waived | Why |\n"
            md += "|---|---|---|---|---:|---:|---:|---:|---|\n"
            for c in r.controls {
                md += "| \(Escape.markdownCell(c.control.id)) | \(Escape.markdownCell(c.control.title)) | **\(c.status.label)** |"
                md += " \(Escape.markdownCell(c.policyList)) | \(c.evaluated) | \(c.failed) | \(c.findings) | \(c.waived) |"
                md += " \(Escape.markdownCell(c.explanation)) |\n"
            }
        }
        return md
    }
}

extension Summary {
    /// A few lines per framework for the terminal: counts, what --framework enabled, and each
    /// control that is not a pass.
    static func rollups(_ digest: ReportDigest, oneLine: (String) -> String) -> String {
        var out = ""
        for r in digest.report.frameworks {
            out += "\nframework \(oneLine(r.heading)): \(r.countsLine)\n"
            if let enabled = r.enabledLine { out += oneLine(enabled) + "\n" }
            let width = r.controls.map(\.control.id.count).max() ?? 0
            for c in r.controls {
                let id = c.control.id.padding(toLength: width, withPad: " ", startingAt: 0)
                out += "  \(oneLine(id))  \(c.status.label.padding(toLength: 14, withPad: " ", startingAt: 0))"
                out += oneLine(c.policies.isEmpty ? c.control.title : c.policyList) + "\n"
            }
        }
        return out
    }
}
