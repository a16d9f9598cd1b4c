import AmigoCore

/// The headline and the trend as Markdown, for pasting into a ticket or a chat: the main
/// Markdown report and `report --trend` write the same text.
enum MarkdownHeadline {
    static func headline(_ headline: Headline) -> String {
        let tally = headline.tally
        var md = "### Headline\n\n**\(headline.share) compliant**"
        if let change = headline.shareChange { md += " (\(change) since the previous scan)" }
        md += ": \(headline.subjects()) have no open finding.\n"
        md += "\(headline.comparison)\n\n"
        let change = headline.previous != nil
        md += "| Severity | Findings |" + (change ? " Change |" : "") + " Compliant at or above | Images | Account×regions |\n"
        md += "|---|---:|" + (change ? "---:|" : "") + "---:|---:|---:|\n"
        for severity in ReportDigest.severities {
            md += "| \(severity.rawValue) | \(tally.findings[severity] ?? 0) |"
            if change { md += " \(headline.findingsChange(severity) ?? "") |" }
            md += " \(Headline.percent(tally.share(atLeast: severity))) | \(tally.images.compliant(atLeast: severity)) of \(tally.images.evaluated)"
            md += " | \(tally.regions.compliant(atLeast: severity)) of \(tally.regions.evaluated) |\n"
        }
        return md
    }

    static func trend(_ trend: Trend) -> String {
        var md = "### Trend (last \(trend.points.count) scan\(trend.points.count == 1 ? "" : "s") of `\(Escape.inert(trend.scope).replacingOccurrences(of: "`", with: "'"))`)\n\n"
        md += "| Scan | As of | Status | " + ReportDigest.severities.map { $0.rawValue.capitalized }.joined(separator: " | ")
        md += " | Findings | Compliant | New | Resolved |\n|---|---|---|" + String(repeating: "---:|", count: ReportDigest.severities.count + 4) + "\n"
        for point in trend.points {
            let t = point.tally
            md += "| #\(point.scanId) | \(Timestamp.day(point.asOf)) | \(point.status.rawValue) | "
            md += ReportDigest.severities.map { String(t.findings[$0] ?? 0) }.joined(separator: " | ")
            md += " | \(t.findingCount) | \(Headline.percent(t.share())) | \(point.new.map(String.init) ?? "–") | \(point.resolved.map(String.init) ?? "–") |\n"
        }
        return md
    }
}
