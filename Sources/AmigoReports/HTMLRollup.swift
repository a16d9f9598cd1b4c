import AmigoCore

/// The framework rollup section of `report.html`: per framework, a row per control with its
/// status, policies and counts. Rendered server-side like every table, so it reads without
/// JavaScript; every string goes through `Escape.html`.
extension HTMLPage {
    mutating func frameworkRollups(_ d: ReportDigest) {
        guard !d.report.frameworks.isEmpty else { return }
        func h(_ text: String) -> String { Escape.html(text) }
        line("<section id=\"frameworks\">")
        line("<h2>Frameworks <span class=\"count\">(\(d.report.frameworks.count))</span></h2>")
        line("<p class=\"note\">A control passes only when every policy evidencing it was judged on everything in its scope"
             + " with no open finding; what was not read is <em>not evaluated</em>, never a pass.</p>")
        for r in d.report.frameworks {
            line("<table>")
            line("<caption>\(h(r.heading)): \(h(r.countsLine))"
                 + (r.enabledLine.map { "<div class=\"muted\">\(h($0))</div>" } ?? "")
                 + "<div class=\"muted\">\(h(r.framework.document))</div></caption>")
            line("<thead><tr><th>Control</th><th>Status</th><th>Policies</th><th class=\"num\">Evaluated</th>"
                 + "<th class=\"num\">Failed</th><th class=\"num\">Findings</th><th class=\"num\">Waived</th><th>Why</th></tr></thead>")
            line("<tbody>")
            for c in r.controls {
                let statusClass = switch c.status {
                case .pass: "status"
                case .fail: "status status-failed"
                case .notEvaluated: "status status-partial"
                case .manual: "status status-skipped"
                }
                line("<tr><td><span class=\"mono\">\(h(c.control.id))</span><div class=\"muted\">\(h(c.control.title))</div></td>"
                     + "<td><span class=\"\(statusClass)\">\(h(c.status.label))</span></td>"
                     + "<td class=\"mono\">\(h(c.policyList))</td>"
                     + "<td class=\"num\">\(c.evaluated)</td><td class=\"num\(c.failed > 0 ? " bad" : "")\">\(c.failed)</td>"
                     + "<td class=\"num\">\(c.findings)</td><td class=\"num\">\(c.waived)</td>"
                     + "<td class=\"msg\">\(h(c.explanation))</td></tr>")
            }
            line("</tbody></table>")
        }
        line("</section>")
    }
}
