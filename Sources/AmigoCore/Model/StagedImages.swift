import Foundation

/// What a collector learns about an owned image after its DescribeImages page: who may launch
/// it, what uses it, when it was last launched. `nil` is "not learned", never "none".
public struct ImageFollowUp: Sendable, Hashable {
    public var launchPermissions: [LaunchPermission]?
    public var instanceCount: Int?
    public var launchTemplateCount: Int?
    /// Only from `DescribeImageAttribute lastLaunchedTime`; nil keeps what DescribeImages said.
    public var lastLaunchedTime: Date?

    public init(launchPermissions: [LaunchPermission]?, instanceCount: Int?, launchTemplateCount: Int?,
                lastLaunchedTime: Date?) {
        self.launchPermissions = launchPermissions
        self.instanceCount = instanceCount
        self.launchTemplateCount = launchTemplateCount
        self.lastLaunchedTime = lastLaunchedTime
    }

    public func applied(to image: Image) -> Image {
        var image = image
        image.launchPermissions = launchPermissions
        image.instanceCount = instanceCount
        image.launchTemplateCount = launchTemplateCount
        image.lastLaunchedTime = lastLaunchedTime ?? image.lastLaunchedTime
        return image
    }
}

/// The follow-ups of an account×region's images in listing order, stored sparsely: most
/// images share one (no grants, in use nowhere), so only the others are listed.
public struct ImageFollowUps: Sendable, Hashable {
    public var count: Int
    public var common: ImageFollowUp
    /// By position in the listing; an image here takes its own follow-up instead of `common`.
    public var exceptions: [Int: ImageFollowUp]

    public init(count: Int, common: ImageFollowUp, exceptions: [Int: ImageFollowUp]) {
        self.count = count
        self.common = common
        self.exceptions = exceptions
    }

    public subscript(position: Int) -> ImageFollowUp { exceptions[position] ?? common }

    /// `images`, the listing's first, with their follow-ups.
    public func applied(to images: [Image]) -> [Image] {
        images.indices.map { self[$0].applied(to: images[$0]) }
    }

    /// The follow-ups of the images after the first `count`, numbered from 0.
    public func dropping(first count: Int) -> ImageFollowUps {
        ImageFollowUps(count: max(0, self.count - count), common: common,
                       exceptions: Dictionary(uniqueKeysWithValues: exceptions.compactMap { position, own in
                           position >= count ? (position - count, own) : nil
                       }))
    }
}

/// An account×region's images kept out of memory while the region was collected, to become
/// part of the scan with its batch: written to the catalogue's staging area page by page, or
/// (`place`) to the scan's own tables once the listing was complete.
public struct StagedImages: Sendable, Hashable {
    /// Where the images wait for their batch.
    public enum Place: Sendable, Hashable {
        /// The staging area: moved into the scan with the batch.
        case staging
        /// The scan's image table, rows `firstRow …` in listing order, written before the
        /// per-image calls were answered. They are not part of the scan (no reader sees them)
        /// until their batch, which adds what those calls learned, is recorded.
        case catalogue(firstRow: Int64)
    }

    /// The staging area's key for this account×region.
    public var stage: Int64
    public var followUps: ImageFollowUps
    /// Why a page could not be staged, if one could not: the batch must then be refused, since
    /// it would be missing images.
    public var failure: String?
    public var place: Place

    public init(stage: Int64, followUps: ImageFollowUps, failure: String?, place: Place) {
        self.stage = stage
        self.followUps = followUps
        self.failure = failure
        self.place = place
    }

    /// The scan's rows these images already occupy, if they were written there.
    public var catalogueRows: Range<Int64>? {
        guard case .catalogue(let firstRow) = place else { return nil }
        return firstRow ..< firstRow + Int64(followUps.count)
    }
}
