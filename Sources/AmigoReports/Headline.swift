import AmigoCore
import Foundation

/// The figures a report leads with, worded once for every format that shows them: how much
/// is compliant, per severity, and what changed since the previous scan of the same scope.
struct Headline {
    let tally: ComplianceTally
    /// The previous scan of the scope in the catalogue, when there is one.
    let previous: Trend.Point?
    /// The reported scan's own trend point (its new and resolved), when it is the trend's last.
    let current: Trend.Point?

    init(tally: ComplianceTally, evaluation: Int64?, trend: Trend?) {
        self.tally = tally
        let last = trend?.points.last
        let isLast = last != nil && last?.evaluationId == evaluation
        current = isLast ? last : nil
        previous = isLast ? trend?.previous : nil
    }

    init(point: Trend.Point, trend: Trend) {
        tally = point.tally
        current = point
        previous = trend.previous
    }

    static func percent(_ share: Double?) -> String {
        guard let share else { return "n/a" }
        return String(format: "%.1f%%", share * 100)
    }

    /// "+2.5 pts", "−1.0 pts", "±0.0 pts": the change of a share in percentage points.
    static func points(_ now: Double?, _ before: Double?) -> String? {
        guard let now, let before else { return nil }
        let delta = (now - before) * 100
        let text = String(format: "%.1f pts", abs(delta))
        return abs(delta) < 0.05 ? "±" + text : (delta > 0 ? "+" : "−") + text
    }

    /// "+3", "−2", "±0".
    static func signed(_ delta: Int) -> String { delta == 0 ? "±0" : delta > 0 ? "+\(delta)" : "−\(-delta)" }

    var share: String { Self.percent(tally.share()) }

    var shareChange: String? { previous.flatMap { Self.points(tally.share(), $0.tally.share()) } }

    func findingsChange(_ severity: Severity?) -> String? {
        guard let previous else { return nil }
        let now = severity.map { tally.findings[$0] ?? 0 } ?? tally.findingCount
        let before = severity.map { previous.tally.findings[$0] ?? 0 } ?? previous.tally.findingCount
        return Self.signed(now - before)
    }

    /// "31 of 40 images and 6 of 9 account×regions".
    func subjects(atLeast threshold: Severity = .info) -> String {
        "\(tally.images.compliant(atLeast: threshold)) of \(tally.images.evaluated) images and "
            + "\(tally.regions.compliant(atLeast: threshold)) of \(tally.regions.evaluated) account×regions"
    }

    /// One sentence on the previous scan of the scope, or why there is nothing to compare.
    var comparison: String {
        guard let previous else { return "No earlier scan of this scope in the catalogue to compare with." }
        var text = "Since scan #\(previous.scanId) (as of \(Timestamp.day(previous.asOf))): compliance \(shareChange ?? "n/a"), "
            + "findings \(findingsChange(nil) ?? "n/a")"
        if let new = current?.new, let resolved = current?.resolved { text += " (\(new) new, \(resolved) resolved)" }
        return text + "."
    }
}
