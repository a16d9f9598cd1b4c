import AmigoCore

/// The figure a report to management leads with: what share is compliant, per severity, and
/// the change since the previous scan of the same scope.
extension HTMLPage {
    mutating func headline(_ headline: Headline, digest d: ReportDigest?) {
        let tally = headline.tally
        line("<section id=\"headline\" aria-labelledby=\"headline-title\">")
        line("<h2 id=\"headline-title\">Headline</h2>")
        line("<div class=\"headline\">")
        line("<div class=\"figure\"><span class=\"n\">\(h(headline.share))</span><span class=\"l\">compliant</span>"
             + (headline.shareChange.map { "<span class=\"delta\">\(h($0)) since the previous scan</span>" } ?? "") + "</div>")
        line("<div class=\"explain\"><p><strong>\(h(headline.subjects()))</strong> have no open finding"
             + (d.map { " (\($0.waived.count) waived finding\($0.waived.count == 1 ? "" : "s") not counted)" } ?? "") + ".</p>")
        line("<p class=\"note\">\(h(headline.comparison))</p>")
        line("<p class=\"note\">An image is compliant with no unwaived finding about it; an account×region when it was read in full"
             + " and holds no unwaived finding. What could not be read is never counted as compliant.</p></div>")
        line("</div>")
        let change = headline.previous != nil
        table(["Severity", "Findings"] + (change ? ["Change"] : []) + ["Compliant at or above", "Images", "Account×regions"],
              numeric: change ? [1, 2, 3, 4, 5] : [1, 2, 3, 4],
              rows: ReportDigest.severities.map { severity in
                  [severityCell(severity), num(tally.findings[severity] ?? 0, alarming: severity >= .high)]
                      + (change ? [td(headline.findingsChange(severity) ?? "", "num")] : [])
                      + [td(Headline.percent(tally.share(atLeast: severity)), "num"),
                         td("\(tally.images.compliant(atLeast: severity)) of \(tally.images.evaluated)", "num"),
                         td("\(tally.regions.compliant(atLeast: severity)) of \(tally.regions.evaluated)", "num")]
              }, caption: "Findings and compliance by severity (compliant at a severity: no finding that severe or worse)")
        if let d {
            line("<p class=\"note\">\(d.report.images.count) images evaluated · \(d.coverage.count) account×regions"
                 + " (\(d.regionCount(.skipped)) skipped) · \(d.waived.count) waived · "
                 + "<span class=\"\(d.errors.isEmpty ? "" : "bad")\">\(d.errors.count) scan error\(d.errors.count == 1 ? "" : "s")</span></p>")
        }
        line("</section>")
    }
}
