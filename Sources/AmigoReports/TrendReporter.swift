import AmigoCore
import Foundation

/// `amigo report --trend`: the history of one scope, from the catalogue alone, as a page to
/// send upward (HTML), a table to paste (Markdown) or data (JSON). Pure, like every reporter.
public enum TrendReporter {
    /// The formats a trend has, with the file each is written to.
    public static let fileNames: [String: String] = ["html": "trend.html", "markdown": "trend.md", "json": "trend.json"]

    /// nil for a format with no trend form (JUnit, SARIF, CSV list findings, not history).
    public static func render(_ trend: Trend, format: String, context: RenderContext) -> Data? {
        switch format {
        case "html": html(trend, context: context)
        case "markdown": markdown(trend, context: context)
        case "json": json(trend, context: context)
        default: nil
        }
    }

    static func html(_ trend: Trend, context: RenderContext) -> Data {
        var page = HTMLPage()
        page.head(title: "amigo compliance trend", meta: [
            ("Scope", trend.scope), ("Scans", "\(trend.points.count)"),
            ("Latest", trend.points.last.map { "#\($0.scanId) as of \(Timestamp.iso($0.asOf))" } ?? "none"),
            ("Generated", Timestamp.iso(context.generatedAt)), ("amigo", context.toolVersion),
        ], context: context)
        page.line("<main>")
        if let last = trend.points.last {
            page.headline(Headline(point: last, trend: trend), digest: nil)
            page.trend(trend)
        }
        page.foot(context)
        return Data(page.text.utf8)
    }

    static func markdown(_ trend: Trend, context: RenderContext) -> Data {
        var md = "## amigo compliance trend\n\n"
        md += "Generated \(Timestamp.iso(context.generatedAt)) by amigo \(Escape.markdownCell(context.toolVersion))\n\n"
        if let last = trend.points.last { md += MarkdownHeadline.headline(Headline(point: last, trend: trend)) + "\n" }
        md += MarkdownHeadline.trend(trend)
        return Data(md.utf8)
    }

    static func json(_ trend: Trend, context: RenderContext) -> Data {
        func subjects(_ s: ComplianceTally.Subjects) -> JSONValue {
            .object(["evaluated": .int(s.evaluated), "compliant": .int(s.compliant())])
        }
        let points: [JSONValue] = trend.points.map { p in
            .object([
                "scan": .int(Int(p.scanId)), "evaluation": .int(Int(p.evaluationId)),
                "asOf": .date(p.asOf), "startedAt": .date(p.startedAt), "status": .string(p.status.rawValue),
                "findings": JSONReporter.severityCounts(p.tally.findings), "findingCount": .int(p.tally.findingCount),
                "images": subjects(p.tally.images), "accountRegions": subjects(p.tally.regions),
                "compliantShare": .string(Headline.percent(p.tally.share())),
                "new": p.new.map(JSONValue.int) ?? .null, "resolved": p.resolved.map(JSONValue.int) ?? .null,
            ])
        }
        return JSONValue.object([
            "scope": .string(trend.scope), "generatedAt": .date(context.generatedAt),
            "amigoVersion": .string(context.toolVersion), "scans": .array(points),
        ]).rendered()
    }
}
