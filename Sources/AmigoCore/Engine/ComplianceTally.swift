import Foundation

/// How compliant one evaluated scan is: the headline of a report and one point of a trend.
/// One definition for both, so a report's headline and the last point of its trend agree.
///
/// The subjects are the evaluated images (every image of the inventory, undecodable ones
/// included) and the account×regions amigo meant to read (skipped ones are not subjects). An
/// image is compliant when no unwaived finding is about it; an account×region when it was read
/// in full and no unwaived finding of any kind lies in it. What was not read is never compliant.
public struct ComplianceTally: Sendable, Hashable {
    public struct Subjects: Sendable, Hashable {
        public var evaluated: Int
        /// Per severity, the subjects with an unwaived finding at least that severe (an unread
        /// account×region counts at every severity: unknown is not compliant).
        public var failing: [Severity: Int]
        public init(evaluated: Int, failing: [Severity: Int]) { self.evaluated = evaluated; self.failing = failing }

        /// Subjects with no unwaived finding at or above `threshold` (default: any finding).
        public func compliant(atLeast threshold: Severity = .info) -> Int { evaluated - (failing[threshold] ?? 0) }
    }

    /// Unwaived findings per severity.
    public var findings: [Severity: Int]
    public var images: Subjects
    public var regions: Subjects

    public init(images: some Sequence<ImageRef>, coverage: some Sequence<RegionCoverage>,
                findings: some Sequence<Finding>) {
        var evaluatedImages = Set<ImageKey>()
        for image in images { evaluatedImages.insert(ImageKey(image.accountId, image.region, image.imageId)) }
        var imageWorst: [ImageKey: Severity] = [:]
        // An account×region maps to its worst finding; an unread one to `.critical`, so it fails
        // at every threshold: unknown is not compliant.
        var regions = Set<RegionRef>()
        var regionWorst: [RegionRef: Severity] = [:]
        for region in coverage where region.status != .skipped {
            let ref = RegionRef(accountId: region.accountId, region: region.region)
            regions.insert(ref)
            if region.status != .scanned { regionWorst[ref] = .critical }
        }
        var counts = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, 0) })
        for finding in findings {
            counts[finding.severity, default: 0] += 1
            if finding.resourceType == Finding.imageResourceType {
                let key = ImageKey(finding.accountId, finding.region, finding.resourceId)
                if evaluatedImages.contains(key) { imageWorst[key] = max(imageWorst[key] ?? finding.severity, finding.severity) }
            }
            let ref = RegionRef(accountId: finding.accountId, region: finding.region)
            if regions.contains(ref) { regionWorst[ref] = max(regionWorst[ref] ?? finding.severity, finding.severity) }
        }
        self.findings = counts
        self.images = Subjects(evaluated: evaluatedImages.count, failing: Self.failing(imageWorst.values))
        self.regions = Subjects(evaluated: regions.count, failing: Self.failing(regionWorst.values))
    }

    /// For a tally read back from elsewhere (and tests).
    public init(findings: [Severity: Int], images: Subjects, regions: Subjects) {
        self.findings = findings; self.images = images; self.regions = regions
    }

    public var findingCount: Int { findings.values.reduce(0, +) }

    /// Compliant images and account×regions over all of them; nil when nothing was evaluated.
    public func share(atLeast threshold: Severity = .info) -> Double? {
        let all = images.evaluated + regions.evaluated
        guard all > 0 else { return nil }
        return Double(images.compliant(atLeast: threshold) + regions.compliant(atLeast: threshold)) / Double(all)
    }

    private static func failing(_ worst: some Sequence<Severity>) -> [Severity: Int] {
        var byWorst: [Severity: Int] = [:]
        for severity in worst { byWorst[severity, default: 0] += 1 }
        return Dictionary(uniqueKeysWithValues: Severity.allCases.map { threshold in
            (threshold, byWorst.filter { $0.key >= threshold }.values.reduce(0, +))
        })
    }

    private struct ImageKey: Hashable {
        var accountId: String, region: String, imageId: String
        init(_ accountId: String, _ region: String, _ imageId: String) {
            self.accountId = accountId; self.region = region; self.imageId = imageId
        }
    }
}
