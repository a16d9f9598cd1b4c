import AmigoCore

/// The findings table, in pages of `pageSize` rows so that a report of 10,000 findings renders
/// at once: every row is in the page (so it reads, searches and prints whole without
/// JavaScript), but only the first page is laid out. Without JavaScript the page links switch
/// pages through CSS `:target`; with it, the script filters, sorts and pages every row.
///
/// At most `inlineLimit` findings are in the page, most severe first: a browser lays out
/// 10,000 rows in well under a second, but the 371,000 findings of a 1,000,000-image
/// organisation would be a page of hundreds of MB that no browser opens. The note above the
/// table says how many are left out and where every one of them is (findings.json, findings.csv).
extension HTMLPage {
    static let pageSize = 250
    static let inlineLimit = 10_000

    mutating func findings(_ d: ReportDigest, inlineLimit: Int = HTMLPage.inlineLimit) {
        line("<section id=\"findings\">")
        line("<h2>Findings <span class=\"count\">(\(d.findings.count))</span></h2>")
        guard !d.findings.isEmpty else { line("<p class=\"note\">No findings.</p></section>"); return }
        let shown = d.findings.prefix(inlineLimit)
        if shown.count < d.findings.count {
            line("<p class=\"note\" id=\"findings-capped\">This page shows the first \(shown.count) of \(d.findings.count) findings, "
                 + "most severe first. Every finding is in the JSON and CSV reports "
                 + "(<code>--format json,csv</code>: <code>findings.json</code>, <code>findings.csv</code>).</p>")
        }
        let pages = (shown.count + Self.pageSize - 1) / Self.pageSize
        line("<div class=\"controls\" id=\"findings-controls\" hidden>")
        line("<input type=\"search\" id=\"filter-text\" placeholder=\"Filter: policy, account, image, message…\" aria-label=\"Filter findings\">")
        line("<select id=\"filter-severity\" aria-label=\"Severity\"><option value=\"\">All severities</option>"
             + ReportDigest.severities.map { "<option value=\"\($0.rawValue)\">\($0.rawValue)</option>" }.joined() + "</select>")
        line("<span id=\"filter-count\" class=\"muted\" aria-live=\"polite\"></span>")
        line("<span class=\"pager-js\"><button type=\"button\" id=\"page-prev\">‹ Previous</button>"
             + "<button type=\"button\" id=\"page-next\">Next ›</button></span>")
        line("</div>")
        if pages > 1 {
            line("<nav class=\"pager\" id=\"findings-pager\" aria-label=\"Pages of findings\">\(Self.pageSize) findings a page: "
                 + (1...pages).map { page in
                     let first = (page - 1) * Self.pageSize + 1, last = min(page * Self.pageSize, shown.count)
                     return "<a href=\"#findings-page-\(page)\" title=\"findings \(first)–\(last)\">\(page)</a>"
                 }.joined(separator: " ") + "</nav>")
        }
        line("<div class=\"scroll\"><table id=\"findings-table\" class=\"findings\">")
        line("<thead><tr><th>Severity</th><th>Policy</th><th>Account, region</th><th>Resource</th><th>Message</th><th>Evidence</th></tr></thead>")
        for (order, f) in shown.enumerated() {
            if order % Self.pageSize == 0 {
                if order > 0 { line("</tbody>") }
                let page = order / Self.pageSize + 1
                line("<tbody class=\"page\(page == 1 ? " first" : "")\" id=\"findings-page-\(page)\">")
            }
            line("<tr data-severity=\"\(f.severity.rawValue)\" data-order=\"\(order)\">" + findingCells(f, d).joined() + "</tr>")
        }
        line("</tbody></table></div>")
        line("</section>")
    }
}
