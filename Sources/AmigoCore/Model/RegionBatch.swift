/// Everything collected for one account×region: what a collector delivers and the unit the
/// catalogue writes atomically.
public struct RegionBatch: Sendable, Hashable {
    public var accountId: String
    public var region: String
    /// The images carried in the batch; those staged are in `staged` instead.
    public var images: [Image]
    public var staged: StagedImages?
    public var snapshots: [Snapshot]
    public var settings: RegionSettings?
    public var workloads: [Workload]
    public var referencedImages: [ReferencedImage]
    public var coverage: RegionCoverage
    public var errors: [ScanError]

    /// Without `coverage`, the region counts as `scanned` (or `partial` when there are errors)
    /// with `images.count` images.
    public init(accountId: String, region: String, images: [Image] = [], staged: StagedImages? = nil,
                snapshots: [Snapshot] = [],
                settings: RegionSettings? = nil, workloads: [Workload] = [],
                referencedImages: [ReferencedImage] = [], coverage: RegionCoverage? = nil,
                errors: [ScanError] = []) {
        self.accountId = accountId
        self.region = region
        self.images = images
        self.staged = staged
        self.snapshots = snapshots
        self.settings = settings
        self.workloads = workloads
        self.referencedImages = referencedImages
        self.coverage = coverage ?? RegionCoverage(accountId: accountId, region: region,
                                                   status: errors.isEmpty ? .scanned : .partial,
                                                   imageCount: Self.imageCount(images, staged))
        self.errors = errors
    }

    /// The images carried and the images staged.
    public var imageCount: Int { Self.imageCount(images, staged) }

    private static func imageCount(_ images: [Image], _ staged: StagedImages?) -> Int {
        images.count + (staged?.followUps.count ?? 0)
    }

    /// Why this batch is inconsistent (something in it belongs to another account×region), if it is.
    public var inconsistency: String? {
        func misplaced(_ what: String, _ account: String, _ region: String?) -> String? {
            account == accountId && (region == nil || region == self.region) ? nil
                : "\(what) belongs to account \(account) region \(region ?? "-")"
        }
        for image in images {
            if let problem = misplaced("image \(image.imageId)", image.accountId, image.region) { return problem }
        }
        for snapshot in snapshots {
            if let problem = misplaced("snapshot \(snapshot.snapshotId)", snapshot.accountId, snapshot.region) {
                return problem
            }
        }
        for workload in workloads {
            if let problem = misplaced("workload \(workload.resourceId)", workload.accountId, workload.region) {
                return problem
            }
        }
        for referenced in referencedImages {
            if let problem = misplaced("referenced image \(referenced.imageId)", referenced.accountId, referenced.region) {
                return problem
            }
        }
        if let settings, let problem = misplaced("region settings", settings.accountId, settings.region) {
            return problem
        }
        if let problem = misplaced("coverage", coverage.accountId, coverage.region) { return problem }
        for error in errors {
            if let problem = misplaced("scan error \(error.operation)", error.accountId, error.region) {
                return problem
            }
        }
        return nil
    }
}
