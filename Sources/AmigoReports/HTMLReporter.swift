import AmigoCore
import Foundation

/// `report.html`: one self-contained page for a security reviewer to read and hand over. No
/// external resource of any kind; every row is rendered here, so the page reads fully with
/// JavaScript off. Every data string goes through `Escape.html`; the script only reads the DOM.
public enum HTMLReporter: DigestReporter {
    public static let id = "html"
    public static let fileName = "report.html"

    static func render(_ digest: ReportDigest, context: RenderContext) -> Data {
        let report = digest.report
        var page = HTMLPage()
        page.head(title: "amigo AMI compliance report", scan: report.scan, context: context)
        page.line("<main>")
        page.banner(digest)
        page.warnings(digest)
        page.cards(digest)
        if !digest.errors.isEmpty || !digest.unreadableRegions.isEmpty { page.scanErrors(digest) }
        page.frameworkRollups(digest)
        page.policies(digest)
        page.accounts(digest)
        page.findings(digest)
        page.waived(digest)
        page.skippedRegions(digest)
        page.coverage(digest)
        page.line("<footer>Generated \(h(Timestamp.iso(context.generatedAt))) by amigo \(h(context.toolVersion)).")
        page.line("Read-only scan: amigo never changes anything in AWS.</footer>")
        page.line("</main>")
        page.line("<script>\(HTMLAssets.script)</script>")
        page.line("</body>")
        page.line("</html>")
        return Data(page.text.utf8)
    }
}

fileprivate func h(_ text: String) -> String { Escape.html(text) }

struct HTMLPage {
    var text = ""

    mutating func line(_ s: String) { text += s + "\n" }

    mutating func head(title: String, scan: ScanInfo, context: RenderContext) {
        line("<!DOCTYPE html>")
        line("<html lang=\"en\">")
        line("<head>")
        line("<meta charset=\"utf-8\">")
        line("<meta http-equiv=\"Content-Security-Policy\" content=\"\(HTMLAssets.contentSecurityPolicy)\">")
        line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        line("<meta name=\"referrer\" content=\"no-referrer\">")
        line("<meta name=\"generator\" content=\"amigo \(h(context.toolVersion))\">")
        line("<title>\(h(title))</title>")
        line("<style>\(HTMLAssets.style)</style>")
        line("</head>")
        line("<body>")
        line("<header class=\"top\">")
        line("<h1>\(h(title))</h1>")
        var meta: [(String, String)] = [("Scan", scan.id.map { "#\($0)" } ?? "(unsaved)"), ("Source", scan.source),
                                        ("Status", scan.status.rawValue), ("Started", Timestamp.iso(scan.startedAt))]
        if let finished = scan.finishedAt { meta.append(("Finished", Timestamp.iso(finished))) }
        meta += [("As of", Timestamp.iso(scan.asOf)), ("Generated", Timestamp.iso(context.generatedAt)),
                 ("amigo", context.toolVersion)]
        line("<dl>" + meta.map { "<div><dt>\(h($0.0))</dt><dd>\(h($0.1))</dd></div>" }.joined() + "</dl>")
        line("</header>")
    }

    mutating func banner(_ d: ReportDigest) {
        if d.isIncomplete {
            let unread = d.unreadableRegions.count
            line("<div class=\"banner bad\" role=\"alert\"><strong>Scan incomplete (status: \(h(d.report.scan.status.rawValue)))</strong>")
            line("\(d.errors.count) scan error\(d.errors.count == 1 ? "" : "s"); \(unread) account×region could not be fully read."
                 + " What could not be read is <em>not</em> reported as compliant: a region that failed has no evaluated images,"
                 + " and in a partly read region the checks that needed the missing data fail closed. See <a href=\"#scan-errors\">scan errors</a>.</div>")
        } else {
            line("<div class=\"banner good\"><strong>Scan complete</strong>All \(d.regionCount(.scanned)) account×region scanned were read"
                 + (d.skippedRegions.isEmpty ? "." : "; \(d.skippedRegions.count) skipped (listed below).") + "</div>")
        }
    }

    mutating func warnings(_ d: ReportDigest) {
        for warning in d.warnings { line("<div class=\"banner bad\" role=\"status\"><strong>Warning</strong>\(h(warning))</div>") }
        if let baseline = d.baselineLine {
            let resolved = (d.report.baseline?.resolved ?? []).map {
                "<li>\(h($0.severity.rawValue)) \(h($0.policyId)) \(h($0.accountId))/\(h($0.region))/\(h($0.resourceId))</li>"
            }
            line("<div class=\"banner good\" role=\"status\"><strong>Baseline</strong>\(h(baseline))"
                 + (resolved.isEmpty ? "" : "<ul>" + resolved.joined() + "</ul>") + "</div>")
        }
    }

    mutating func cards(_ d: ReportDigest) {
        line("<section class=\"cards\" aria-label=\"Findings by severity\">")
        for severity in ReportDigest.severities {
            let n = d.bySeverity[severity] ?? 0
            line("<div class=\"card sev-\(severity.rawValue)\(n == 0 ? " zero" : "")\"><span class=\"n\">\(n)</span><span class=\"l\">\(severity.rawValue)</span></div>")
        }
        line("<div class=\"card\"><span class=\"n\">\(d.report.images.count)</span><span class=\"l\">images evaluated</span></div>")
        if d.regionsEvaluated > 0 {
            line("<div class=\"card\"><span class=\"n\">\(d.regionsEvaluated)</span><span class=\"l\">account×regions evaluated</span></div>")
        }
        line("<div class=\"card\"><span class=\"n\">\(d.waived.count)</span><span class=\"l\">waived</span></div>")
        line("<div class=\"card\(d.errors.isEmpty ? "" : " alert")\"><span class=\"n\">\(d.errors.count)</span><span class=\"l\">scan errors</span></div>")
        line("</section>")
    }

    mutating func scanErrors(_ d: ReportDigest) {
        line("<section id=\"scan-errors\">")
        line("<h2>Scan errors <span class=\"count\">(\(d.errors.count))</span></h2>")
        line("<p class=\"note\">amigo could not read the following. Nothing here is compliant: it is unknown.</p>")
        if !d.unreadableRegions.isEmpty {
            table(["Account", "Region", "Status", "Reason"], rows: d.unreadableRegions.map { region in
                [td(d.accountLabel(region.accountId, name: nil)), td(region.region, "mono"),
                 "<td><span class=\"status status-\(region.status.rawValue)\">\(region.status == .failed ? "not read" : "partly read")</span></td>",
                 td(region.reason ?? "")]
            }, caption: "Regions not fully read")
        }
        if !d.errors.isEmpty {
            table(["Account", "Region", "Operation", "Error code", "Message"], rows: d.errors.map { e in
                [td(d.accountLabel(e.accountId, name: nil)), td(e.region ?? "(account)", "mono"), td(e.operation, "mono"),
                 td(e.code, "mono"), td(e.message, "msg")]
            }, caption: "API calls that failed")
        }
        line("</section>")
    }

    mutating func policies(_ d: ReportDigest) {
        line("<section id=\"policies\">")
        line("<h2>Policies <span class=\"count\">(\(d.policies.count))</span></h2>")
        table(["Policy", "Check", "Severity", "Evaluated", "Failed", "Findings", "Waived", "Frameworks"], numeric: [3, 4, 5, 6],
              rows: d.policies.map { row in
                  let frameworks = row.info.frameworks.keys.sorted()
                      .map { "\($0) \(row.info.frameworks[$0]!.joined(separator: ", "))" }.joined(separator: "; ")
                  let title = row.info.description.map { "<div class=\"muted\">\(h($0))</div>" } ?? ""
                  return ["<td><span class=\"mono\">\(h(row.info.id))</span>\(title)</td>", td(row.info.check, "mono"),
                          severityCell(row.info.severity), num(row.evaluated), num(row.failed, alarming: true), num(row.findings.count),
                          num(row.waived.count), td(frameworks)]
              })
        line("</section>")
    }

    mutating func accounts(_ d: ReportDigest) {
        line("<section id=\"accounts\">")
        line("<h2>Accounts <span class=\"count\">(\(d.accounts.count))</span></h2>")
        let severityHeaders = ReportDigest.severities.map { $0.rawValue.capitalized }
        table(["Account", "Name", "Images"] + severityHeaders + ["Waived", "Scan errors"], numeric: Set(2...9),
              rows: d.accounts.map { row in
                  [td(row.id, "mono"), td(row.name ?? ""), num(row.images)]
                      + ReportDigest.severities.map { num(row.bySeverity[$0] ?? 0) } + [num(row.waived), num(row.scanErrors, alarming: true)]
              })
        line("</section>")
    }

    mutating func findings(_ d: ReportDigest) {
        line("<section id=\"findings\">")
        line("<h2>Findings <span class=\"count\">(\(d.findings.count))</span></h2>")
        guard !d.findings.isEmpty else { line("<p class=\"note\">No findings.</p></section>"); return }
        line("<div class=\"controls\" id=\"findings-controls\" hidden>")
        line("<input type=\"search\" id=\"filter-text\" placeholder=\"Filter: policy, account, image, message…\" aria-label=\"Filter findings\">")
        line("<select id=\"filter-severity\" aria-label=\"Severity\"><option value=\"\">All severities</option>"
             + ReportDigest.severities.map { "<option value=\"\($0.rawValue)\">\($0.rawValue)</option>" }.joined() + "</select>")
        line("<span id=\"filter-count\" class=\"muted\"></span>")
        line("</div>")
        line("<table id=\"findings-table\">")
        line("<thead><tr><th>Severity</th><th>Policy</th><th>Account</th><th>Region</th><th>Resource</th><th>Message</th><th>Evidence</th></tr></thead>")
        line("<tbody>")
        for (order, f) in d.findings.enumerated() {
            line("<tr data-severity=\"\(f.severity.rawValue)\" data-order=\"\(order)\">" + findingCells(f, d).joined() + "</tr>")
        }
        line("</tbody></table>")
        line("</section>")
    }

    mutating func waived(_ d: ReportDigest) {
        guard !d.waived.isEmpty else { return }
        line("<section id=\"waived\">")
        line("<h2>Waived findings <span class=\"count\">(\(d.waived.count))</span></h2>")
        line("<p class=\"note\">Accepted by a waiver: not counted as findings above, listed so the acceptance stays visible.</p>")
        table(["Severity", "Policy", "Account", "Region", "Resource", "Message", "Reason", "Expires"], rows: d.waived.map { w in
            Array(findingCells(w.finding, d).prefix(6)) + [td(w.reason, "msg"), td(w.expires.map(Timestamp.day) ?? "never", "mono")]
        })
        line("</section>")
    }

    mutating func skippedRegions(_ d: ReportDigest) {
        guard !d.skippedRegions.isEmpty else { return }
        line("<section id=\"skipped\">")
        line("<h2>Skipped regions <span class=\"count\">(\(d.skippedRegions.count))</span></h2>")
        line("<p class=\"note\">Not scanned on purpose (for example not opted in). Their images were not evaluated.</p>")
        table(["Account", "Region", "Reason"], rows: d.skippedRegions.map {
            [td(d.accountLabel($0.accountId, name: nil)), td($0.region, "mono"), td($0.reason ?? "")]
        })
        line("</section>")
    }

    mutating func coverage(_ d: ReportDigest) {
        line("<section id=\"coverage\">")
        line("<h2>Coverage</h2>")
        let parts = [RegionCoverage.Status.scanned, .partial, .failed, .skipped].map { "\(d.regionCount($0)) \($0.rawValue)" }
        line("<p class=\"note\">\(d.coverage.count) account×region: \(parts.joined(separator: ", ")).</p>")
        line("</section>")
    }

    private func findingCells(_ f: Finding, _ d: ReportDigest) -> [String] {
        let evidence = f.evidence.keys.sorted().map { "<dt>\(h($0))</dt><dd>\(h(f.evidence[$0]!))</dd>" }.joined()
        let name = f.resourceName.map { "<div>\(h($0))</div>" } ?? ""
        let accountName = (f.accountName ?? d.accountName(f.accountId)).map { "<div class=\"muted\">\(h($0))</div>" } ?? ""
        return [severityCell(f.severity), td(f.policyId, "mono"),
                "<td><span class=\"mono\">\(h(f.accountId))</span>\(accountName)</td>", td(f.region, "mono"),
                "<td><span class=\"mono\">\(h(f.resourceId))</span>\(name)</td>", td(f.message, "msg"),
                evidence.isEmpty ? "<td></td>" : "<td><dl class=\"evidence\">\(evidence)</dl></td>"]
    }

    private func severityCell(_ s: Severity) -> String {
        let rank = ReportDigest.severities.firstIndex(of: s) ?? 0
        return "<td data-sort=\"\(rank)\"><span class=\"sev sev-\(s.rawValue)\">\(s.rawValue)</span></td>"
    }

    private func td(_ text: String, _ cls: String? = nil) -> String {
        "<td\(cls.map { " class=\"\($0)\"" } ?? "")>\(h(text))</td>"
    }

    private func num(_ n: Int, alarming: Bool = false) -> String {
        "<td class=\"num\(alarming && n > 0 ? " bad" : "")\">\(n)</td>"
    }

    private mutating func table(_ headers: [String], numeric: Set<Int> = [], rows: [[String]], caption: String? = nil) {
        line("<table>")
        if let caption { line("<caption>\(h(caption))</caption>") }
        line("<thead><tr>" + headers.enumerated().map { numeric.contains($0.offset) ? "<th class=\"num\">\(h($0.element))</th>" : "<th>\(h($0.element))</th>" }.joined() + "</tr></thead>")
        line("<tbody>")
        for row in rows { line("<tr>" + row.joined() + "</tr>") }
        line("</tbody></table>")
    }
}
