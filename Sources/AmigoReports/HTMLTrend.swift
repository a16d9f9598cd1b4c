import AmigoCore
import Foundation

/// The trend of a scope, drawn as inline SVG (no script, no external asset) with every chart's
/// numbers also in its `<desc>` and in the table below it, for screen readers, text browsers
/// and anyone who wants the figures.
extension HTMLPage {
    mutating func trend(_ trend: Trend) {
        line("<section id=\"trend\" aria-labelledby=\"trend-title\">")
        line("<h2 id=\"trend-title\">Trend <span class=\"count\">(last \(trend.points.count) scan\(trend.points.count == 1 ? "" : "s") of this scope)</span></h2>")
        line("<p class=\"note\">Scope: <span class=\"mono\">\(h(trend.scope))</span>. Each scan counts its latest evaluation"
             + " (the reported one for this scan); new and resolved compare a scan's findings with the previous scan's, by finding identity as <code>amigo diff</code> does.</p>")
        if trend.points.count < 2 {
            line("<p class=\"note\">The catalogue holds no earlier evaluated scan of this scope: the trend starts here.</p>")
        }
        line("<div class=\"charts\">")
        line(TrendChart.severities(trend))
        line(TrendChart.share(trend))
        line(TrendChart.changes(trend))
        line("</div>")
        let severityHeaders = ReportDigest.severities.map { $0.rawValue.capitalized }
        table(["Scan", "As of", "Status"] + severityHeaders + ["Findings", "Compliant", "Images", "Account×regions", "New", "Resolved"],
              numeric: Set(3...13), rows: trend.points.map { point in
                  let t = point.tally
                  return [td("#\(point.scanId)", "mono"), td(Timestamp.day(point.asOf), "mono"), td(point.status.rawValue)]
                      + ReportDigest.severities.map { num(t.findings[$0] ?? 0) }
                      + [num(t.findingCount), td(Headline.percent(t.share()), "num"),
                         td("\(t.images.compliant()) of \(t.images.evaluated)", "num"),
                         td("\(t.regions.compliant()) of \(t.regions.evaluated)", "num"),
                         td(point.new.map(String.init) ?? "–", "num"), td(point.resolved.map(String.init) ?? "–", "num")]
              }, caption: "Trend data")
        line("</section>")
    }
}

/// Bar and line charts as SVG text: pure functions of the trend, so goldens pin them.
enum TrendChart {
    static let width = 400.0, height = 200.0
    static let left = 36.0, right = 8.0, top = 10.0, bottom = 32.0
    static var plotWidth: Double { width - left - right }
    static var plotHeight: Double { height - top - bottom }

    static func severities(_ trend: Trend) -> String {
        let points = trend.points
        let maximum = nice(points.map { $0.tally.findingCount }.max() ?? 0)
        var body = grid(maximum: maximum, label: axisCount)
        for (i, point) in points.enumerated() {
            var y = top + plotHeight
            // Most severe at the bottom, where the eye compares bars first.
            for severity in ReportDigest.severities {
                let n = point.tally.findings[severity] ?? 0
                guard n > 0 else { continue }
                let height = plotHeight * Double(n) / Double(maximum)
                y -= height
                body += rect(x: barX(i, points.count), y: y, width: barWidth(points.count), height: height,
                             cls: "c-\(severity.rawValue)")
            }
        }
        body += xLabels(points)
        let legend = ReportDigest.severities.map { "<span class=\"key c-\($0.rawValue)\">\($0.rawValue)</span>" }.joined(separator: " ")
        let desc = points.map { p in
            "scan #\(p.scanId) as of \(Timestamp.day(p.asOf)): "
                + ReportDigest.severities.map { "\(p.tally.findings[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        }.joined(separator: "; ")
        return figure("chart-severity", title: "Open findings per severity", desc: desc, body: body, legend: legend)
    }

    static func share(_ trend: Trend) -> String {
        let points = trend.points
        var body = grid(maximum: 100, label: { "\($0)%" })
        let located = points.enumerated().compactMap { i, p in p.tally.share().map { (x: center(i, points.count), y: top + plotHeight * (1 - $0)) } }
        if located.count > 1 {
            body += "<polyline class=\"line\" points=\"" + located.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ") + "\"/>"
        }
        for p in located { body += "<circle class=\"dot\" cx=\"\(f(p.x))\" cy=\"\(f(p.y))\" r=\"3.5\"/>" }
        body += xLabels(points)
        let desc = points.map { "scan #\($0.scanId) as of \(Timestamp.day($0.asOf)): \(Headline.percent($0.tally.share())) compliant" }
            .joined(separator: "; ")
        return figure("chart-share", title: "Compliant images and account×regions", desc: desc, body: body,
                      legend: "<span class=\"key c-share\">share compliant</span>")
    }

    static func changes(_ trend: Trend) -> String {
        let points = trend.points
        let maximum = nice(points.flatMap { [$0.new ?? 0, $0.resolved ?? 0] }.max() ?? 0)
        let zero = top + plotHeight / 2
        var body = ""
        for (value, y) in [(maximum, top), (0, zero), (maximum, top + plotHeight)] {
            body += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\"/>"
            body += "<text class=\"axis\" x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(y < zero ? "+" : y > zero ? "−" : "")\(axisCount(value))</text>"
        }
        for (i, point) in points.enumerated() {
            let half = plotHeight / 2
            if let new = point.new, new > 0 {
                let h = half * Double(new) / Double(maximum)
                body += rect(x: barX(i, points.count), y: zero - h, width: barWidth(points.count), height: h, cls: "c-new")
            }
            if let resolved = point.resolved, resolved > 0 {
                let h = half * Double(resolved) / Double(maximum)
                body += rect(x: barX(i, points.count), y: zero, width: barWidth(points.count), height: h, cls: "c-resolved")
            }
        }
        body += xLabels(points)
        let desc = points.map { p in
            "scan #\(p.scanId) as of \(Timestamp.day(p.asOf)): "
                + (p.new.map { "\($0) new, \(p.resolved ?? 0) resolved" } ?? "no earlier scan to compare")
        }.joined(separator: "; ")
        return figure("chart-changes", title: "New and resolved findings per scan", desc: desc, body: body,
                      legend: "<span class=\"key c-new\">new (up)</span> <span class=\"key c-resolved\">resolved (down)</span>")
    }

    private static func figure(_ id: String, title: String, desc: String, body: String, legend: String) -> String {
        "<figure class=\"chart\"><svg viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">"
            + "<title id=\"\(id)-title\">\(Escape.html(title))</title><desc id=\"\(id)-desc\">\(Escape.html(desc)).</desc>"
            + body + "</svg><figcaption><strong>\(Escape.html(title))</strong> \(legend)</figcaption></figure>"
    }

    private static func grid(maximum: Int, label: (Int) -> String) -> String {
        [0, maximum / 2, maximum].map { value in
            let y = top + plotHeight * (1 - Double(value) / Double(maximum))
            return "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\"/>"
                + "<text class=\"axis\" x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(label(value))</text>"
        }.joined()
    }

    private static func xLabels(_ points: [Trend.Point]) -> String {
        points.enumerated().map { i, p in
            let x = f(center(i, points.count))
            return "<text class=\"axis\" x=\"\(x)\" y=\"\(f(height - 20))\" text-anchor=\"middle\">#\(p.scanId)</text>"
                + "<text class=\"axis\" x=\"\(x)\" y=\"\(f(height - 7))\" text-anchor=\"middle\">\(String(Timestamp.day(p.asOf).dropFirst(5)))</text>"
        }.joined()
    }

    private static func rect(x: Double, y: Double, width: Double, height: Double, cls: String) -> String {
        "<rect class=\"\(cls)\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\"/>"
    }

    private static func center(_ i: Int, _ n: Int) -> Double { left + plotWidth * (Double(i) + 0.5) / Double(max(n, 1)) }
    private static func barWidth(_ n: Int) -> Double { min(40, plotWidth / Double(max(n, 1)) * 0.6) }
    private static func barX(_ i: Int, _ n: Int) -> Double { center(i, n) - barWidth(n) / 2 }

    /// The smallest of 1, 2, 5 × 10ⁿ (and at least 2, so half of it is a whole number) above `n`.
    /// A count short enough for the axis' margin: 250k, 1M, 2.5M. Written out in full, a
    /// million-image organisation's "1000000" ran off the chart's left edge; the table under
    /// the charts gives every exact figure.
    static func axisCount(_ n: Int) -> String {
        func short(_ value: Double, _ unit: String) -> String {
            (value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)) + unit
        }
        if n >= 1_000_000 { return short(Double(n) / 1_000_000, "M") }
        if n >= 10_000 { return short(Double(n) / 1_000, "k") }
        return String(n)
    }

    static func nice(_ n: Int) -> Int {
        var scale = 1
        while true {
            for step in [2, 5, 10] where step * scale >= n { return step * scale }
            scale *= 10
        }
    }

    /// One decimal, the same on every machine.
    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
