import Foundation

/// Something that runs, or would launch, an image: the other end of an AMI's life. Each value
/// is one reference from one resource to one image, so an Auto Scaling group whose launch
/// template has two overrides is two workloads with the same `resourceId`.
public struct Workload: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// `DescribeInstances`, every state but terminated.
        case instance
        /// One version of a launch template (`$Default` and `$Latest`, from
        /// `DescribeLaunchTemplateVersions`); `resourceId` is `lt-…:VERSION`.
        case launchTemplate = "launch-template"
        /// `autoscaling:DescribeAutoScalingGroups`, resolved through its launch template,
        /// mixed-instances overrides or launch configuration.
        case autoScalingGroup = "auto-scaling-group"
        /// `autoscaling:DescribeLaunchConfigurations`.
        case launchConfiguration = "launch-configuration"
        /// `ssm:GetParameters` of a parameter whose data type is `aws:ec2:image`.
        case ssmParameter = "ssm-parameter"

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public var accountId: String
    public var region: String
    public var kind: Kind
    /// Instance id, `lt-…:VERSION`, group name, configuration name or parameter name.
    public var resourceId: String
    public var name: String?
    /// Instance state (`running`, `stopped`, …); nil for resources without one.
    public var state: String?
    /// When an instance was launched, a template version or configuration created, a
    /// parameter last modified.
    public var launchTime: Date?
    public var tags: [Tag]
    /// nil: the resource names no image amigo could resolve (say, a group whose launch template
    /// is gone); `via` then says what it pointed at. Never nil for an instance.
    public var imageId: String?
    /// How the image was reached when not directly: `launch-template lt-0abc:$Default`,
    /// `launch-configuration web-v3`, `override 2 of lt-0abc:4`.
    public var via: String?
    /// `DescribeInstanceImageMetadata`: what EC2 says about an instance's image even when
    /// the image is not visible to the account (nil when not collected or not offered).
    public var imageMetadata: ImageMetadata?

    public init(accountId: String, region: String, kind: Kind, resourceId: String, name: String?,
                state: String?, launchTime: Date?, tags: [Tag], imageId: String?, via: String?,
                imageMetadata: ImageMetadata?) {
        self.accountId = accountId; self.region = region; self.kind = kind
        self.resourceId = resourceId; self.name = name; self.state = state
        self.launchTime = launchTime; self.tags = tags; self.imageId = imageId; self.via = via
        self.imageMetadata = imageMetadata
    }
}

/// `DescribeInstanceImageMetadata`'s `ImageMetadata`: the image as EC2 remembers it for an
/// instance. `state` is nil when EC2 sent none (the image is gone or no longer shared).
public struct ImageMetadata: Sendable, Hashable, Codable {
    public var imageId: String
    public var name: String?
    public var ownerId: String?
    public var ownerAlias: String?
    public var state: String?
    public var creationDate: Date?
    public var deprecationTime: Date?
    public var isPublic: Bool?
    /// Whether the region's Allowed AMIs settings would allow the image (nil: not sent).
    public var imageAllowed: Bool?

    public init(imageId: String, name: String?, ownerId: String?, ownerAlias: String?, state: String?,
                creationDate: Date?, deprecationTime: Date?, isPublic: Bool?, imageAllowed: Bool?) {
        self.imageId = imageId; self.name = name; self.ownerId = ownerId; self.ownerAlias = ownerAlias
        self.state = state; self.creationDate = creationDate; self.deprecationTime = deprecationTime
        self.isPublic = isPublic; self.imageAllowed = imageAllowed
    }
}

/// An image some workload of `accountId`/`region` references that the catalogue does not hold
/// as an owned image: `DescribeImages ImageIds=…` from that account×region. `image` nil means
/// EC2 answered "not found" (deregistered, or no longer shared with the account), which is
/// itself a finding, never a pass.
public struct ReferencedImage: Sendable, Hashable, Codable {
    public var accountId: String
    public var region: String
    public var imageId: String
    public var image: Image?

    public init(accountId: String, region: String, imageId: String, image: Image?) {
        self.accountId = accountId; self.region = region; self.imageId = imageId; self.image = image
    }
}

/// One `ImageCriterion` of a region's Allowed AMIs settings (`GetAllowedImagesSettings`). An
/// image is allowed when it meets every condition of at least one criterion.
public struct ImageCriterion: Sendable, Hashable, Codable {
    /// Account ids, or the aliases `amazon`, `aws-marketplace`, `aws-backup-vault`, `none`.
    public var imageProviders: [String]
    public var marketplaceProductCodes: [String]
    /// Name patterns with `*` and `?`.
    public var imageNames: [String]
    public var maximumDaysSinceCreated: Int?
    public var maximumDaysSinceDeprecated: Int?

    public init(imageProviders: [String], marketplaceProductCodes: [String], imageNames: [String],
                maximumDaysSinceCreated: Int?, maximumDaysSinceDeprecated: Int?) {
        self.imageProviders = imageProviders; self.marketplaceProductCodes = marketplaceProductCodes
        self.imageNames = imageNames; self.maximumDaysSinceCreated = maximumDaysSinceCreated
        self.maximumDaysSinceDeprecated = maximumDaysSinceDeprecated
    }
}
