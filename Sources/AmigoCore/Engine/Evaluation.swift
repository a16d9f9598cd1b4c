import Foundation

/// What the rule engine concluded about one inventory: the images (in inventory order; every
/// `PolicyResult.evaluated` index points into it), one result per policy in policy-file order
/// with its findings in `Finding.reportOrder` (a region policy's result lists the
/// account×regions it judged in `evaluatedRegions`), and the findings waivers accepted.
public struct Evaluation: Sendable {
    public var images: [ImageRef]
    public var results: [PolicyResult]
    public var waived: [WaivedFinding]
    public init(images: [ImageRef], results: [PolicyResult], waived: [WaivedFinding]) {
        self.images = images; self.results = results; self.waived = waived
    }
}
