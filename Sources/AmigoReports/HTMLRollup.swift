import AmigoCore

/// The framework rollup section of `report.html`: per framework, a row per control with its
/// status, policies and counts. Rendered server-side like every table, so it reads without
/// JavaScript; every string goes through `Escape.html`.
extension HTMLPage {
    mutating func frameworkRollups(_ d: ReportDigest) {
        guard !d.report.frameworks.isEmpty else { return }
        line("<section id=\"frameworks\">")
        line("<h2>Frameworks <span class=\"count\">(\(d.report.frameworks.count))</span></h2>")
        line("<p class=\"note\">A control passes only when every policy evidencing it was judged on everything in its scope"
             + " with no open finding; what was not read is <em>not evaluated</em>, never a pass.</p>")
        for r in d.report.frameworks {
            line("<h3>\(Escape.html(r.heading))</h3>")
            line("<p class=\"note\">\(Escape.html(r.countsLine)). Source: \(Escape.html(r.framework.document))."
                 + (r.enabledLine.map { " \(Escape.html($0.prefix(1).uppercased() + $0.dropFirst()))." } ?? "") + "</p>")
            table(["Control", "Status", "Policies", "Evaluated", "Failed", "Findings", "Waived", "Why"], numeric: [3, 4, 5, 6],
                  rows: r.controls.map { c in
                      let statusClass = switch c.status {
                      case .pass: "status"
                      case .fail: "status status-failed"
                      case .notEvaluated: "status status-partial"
                      case .manual: "status status-skipped"
                      }
                      return ["<td><span class=\"mono\">\(Escape.html(c.control.id))</span><div class=\"muted\">\(Escape.html(c.control.title))</div></td>",
                              "<td><span class=\"\(statusClass)\">\(Escape.html(c.status.label))</span></td>",
                              td(c.policyList, "mono"), num(c.evaluated), num(c.failed, alarming: true), num(c.findings),
                              num(c.waived), td(c.explanation, "msg")]
                  })
        }
        line("</section>")
    }
}
