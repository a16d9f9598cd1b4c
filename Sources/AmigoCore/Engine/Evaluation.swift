import Foundation

/// What the rule engine concluded about one inventory: the images (in inventory order; every
/// `PolicyResult.evaluated` index points into it), one result per policy in policy-file order
/// with its findings in `Finding.reportOrder` (a region policy's result lists the
/// account×regions it judged in `evaluatedRegions`), and the findings waivers accepted.
public struct Evaluation: Sendable {
    public var images: [ImageRef]
    public var results: [PolicyResult]
    public var waived: [WaivedFinding]
    /// Waivers in force that lapse within `Waiver.warningPeriod`: reports warn about them.
    public var expiringWaivers: [Waiver]
    public init(images: [ImageRef], results: [PolicyResult], waived: [WaivedFinding], expiringWaivers: [Waiver] = []) {
        self.images = images; self.results = results; self.waived = waived; self.expiringWaivers = expiringWaivers
    }
}

extension Waiver {
    /// How long before a waiver lapses reports start warning about it.
    public static let warningPeriod: TimeInterval = 14 * 86_400

    /// In force at `asOf`, and lapsing within `warningPeriod` of it.
    public func expiresSoon(asOf: Date) -> Bool {
        guard let expires else { return false }
        return expires > asOf && expires <= asOf.addingTimeInterval(Self.warningPeriod)
    }
}
