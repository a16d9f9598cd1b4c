import Foundation

/// One scope's history in the catalogue, one point per evaluated scan, oldest first: what
/// `report --trend` draws and what the headline compares the current scan with.
public struct Trend: Sendable, Hashable {
    public struct Point: Sendable, Hashable {
        public var scanId: Int64
        /// The evaluation the point counts: the scan's latest, or the one being reported.
        public var evaluationId: Int64
        public var asOf: Date
        public var startedAt: Date
        public var status: ScanStatus
        public var tally: ComplianceTally
        /// Findings (by `Finding.identity`, as `diff` compares them) that the previous scan of
        /// the scope did not have, and the previous scan's findings this one no longer has;
        /// nil when the catalogue holds no earlier scan of the scope.
        public var new: Int?
        public var resolved: Int?
        public init(scanId: Int64, evaluationId: Int64, asOf: Date, startedAt: Date, status: ScanStatus,
                    tally: ComplianceTally, new: Int?, resolved: Int?) {
            self.scanId = scanId; self.evaluationId = evaluationId; self.asOf = asOf; self.startedAt = startedAt
            self.status = status; self.tally = tally; self.new = new; self.resolved = resolved
        }
    }

    /// What makes scans comparable: the same source and the same account and region selection.
    public var scope: String
    public var points: [Point]
    public init(scope: String, points: [Point]) { self.scope = scope; self.points = points }

    /// How many scans a trend shows unless asked otherwise.
    public static let defaultLength = 12

    /// The scan before the last one, which a headline's "change since" compares with.
    public var previous: Point? { points.count > 1 ? points[points.count - 2] : nil }
}
