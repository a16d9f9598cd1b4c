import Foundation

public struct Account: Sendable, Hashable, Codable {
    public var id: String
    public var name: String?
    public var email: String?
    public var status: String?
    /// The OU the account sits in directly, when Organizations told us.
    public var parentId: String?
    public init(id: String, name: String? = nil, email: String? = nil, status: String? = nil,
                parentId: String? = nil) {
        self.id = id; self.name = name; self.email = email; self.status = status
        self.parentId = parentId
    }
}

public struct Organization: Sendable, Hashable, Codable {
    public var id: String
    public var arn: String
    public var managementAccountId: String
    public var memberAccountIds: Set<String>
    public init(id: String, arn: String, managementAccountId: String, memberAccountIds: Set<String>) {
        self.id = id; self.arn = arn; self.managementAccountId = managementAccountId
        self.memberAccountIds = memberAccountIds
    }
}

/// An EBS snapshot behind an image's block device mapping, from `DescribeSnapshots`.
public struct Snapshot: Sendable, Hashable, Codable {
    public var accountId: String
    public var region: String
    public var snapshotId: String
    public var ownerId: String
    public var encrypted: Bool
    public var kmsKeyId: String?
    public var volumeSize: Int?
    public var startTime: Date?
    /// nil: `DescribeSnapshotAttribute createVolumePermission` was not called.
    public var createVolumePermissions: [LaunchPermission]?
    public init(accountId: String, region: String, snapshotId: String, ownerId: String? = nil,
                encrypted: Bool, kmsKeyId: String? = nil, volumeSize: Int? = nil,
                startTime: Date? = nil, createVolumePermissions: [LaunchPermission]? = nil) {
        self.accountId = accountId; self.region = region; self.snapshotId = snapshotId
        self.ownerId = ownerId ?? accountId; self.encrypted = encrypted; self.kmsKeyId = kmsKeyId
        self.volumeSize = volumeSize; self.startTime = startTime
        self.createVolumePermissions = createVolumePermissions
    }
}

/// The account-level guardrails of one region. Each field is nil when it was not collected
/// (or the API could not answer, which is then also a scan error).
public struct RegionSettings: Sendable, Hashable, Codable {
    public var accountId: String
    public var region: String
    /// `GetImageBlockPublicAccessState`: `block-new-sharing` or `unblocked`.
    public var imageBlockPublicAccess: String?
    /// `GetSnapshotBlockPublicAccessState`: `block-all-sharing`, `block-new-sharing`, `unblocked`.
    public var snapshotBlockPublicAccess: String?
    public var ebsEncryptionByDefault: Bool?
    /// `GetAllowedImagesSettings` state: `enabled`, `audit-mode`, `disabled`.
    public var allowedImagesState: String?
    /// `GetAllowedImagesSettings` `ImageCriteria` (nil: not collected; empty: no criteria, which
    /// allows nothing once the state is `enabled`).
    public var allowedImageCriteria: [ImageCriterion]?
    /// `GetAllowedImagesSettings` `ManagedBy`: `account` or `declarative-policy`.
    public var allowedImagesManagedBy: String?
    public init(accountId: String, region: String, imageBlockPublicAccess: String? = nil,
                snapshotBlockPublicAccess: String? = nil, ebsEncryptionByDefault: Bool? = nil,
                allowedImagesState: String? = nil, allowedImageCriteria: [ImageCriterion]? = nil,
                allowedImagesManagedBy: String? = nil) {
        self.accountId = accountId; self.region = region
        self.imageBlockPublicAccess = imageBlockPublicAccess
        self.snapshotBlockPublicAccess = snapshotBlockPublicAccess
        self.ebsEncryptionByDefault = ebsEncryptionByDefault
        self.allowedImagesState = allowedImagesState
        self.allowedImageCriteria = allowedImageCriteria
        self.allowedImagesManagedBy = allowedImagesManagedBy
    }
}

/// What happened to one account×region in a scan. A region that was not read is never
/// treated as compliant: it is `failed` (with scan errors) or `skipped` (with a reason).
public struct RegionCoverage: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable { case scanned, partial, failed, skipped }
    public var accountId: String
    public var region: String
    public var status: Status
    public var reason: String?
    public var imageCount: Int
    public init(accountId: String, region: String, status: Status, reason: String? = nil,
                imageCount: Int = 0) {
        self.accountId = accountId; self.region = region; self.status = status
        self.reason = reason; self.imageCount = imageCount
    }
}

/// Something amigo could not see. `region` is nil for account-level failures (AssumeRole).
public struct ScanError: Sendable, Hashable, Codable {
    public var accountId: String
    public var region: String?
    public var operation: String
    public var code: String
    public var message: String
    /// Set when one image could not be decoded while the rest of its region was: every image
    /// policy in scope reports that image as "cannot be verified".
    public var imageId: String?
    public init(accountId: String, region: String?, operation: String, code: String, message: String,
                imageId: String? = nil) {
        self.accountId = accountId; self.region = region; self.operation = operation
        self.code = code; self.message = message; self.imageId = imageId
    }
}

/// Everything one scan saw: the input of the rule engine.
public struct Inventory: Sendable {
    public var organization: Organization?
    public var accounts: [Account]
    public var images: [Image]
    public var snapshots: [Snapshot]
    public var regionSettings: [RegionSettings]
    /// What runs or would launch images; whether it was collected at all is the plan's to say
    /// (an empty list of a region whose workloads were not read proves nothing).
    public var workloads: [Workload]
    /// Images workloads reference that are not among `images` (shared, Marketplace, Amazon,
    /// community, or not found).
    public var referencedImages: [ReferencedImage]
    public var coverage: [RegionCoverage]
    public var errors: [ScanError]

    public init(organization: Organization? = nil, accounts: [Account] = [], images: [Image] = [],
                snapshots: [Snapshot] = [], regionSettings: [RegionSettings] = [],
                workloads: [Workload] = [], referencedImages: [ReferencedImage] = [],
                coverage: [RegionCoverage] = [], errors: [ScanError] = []) {
        self.organization = organization; self.accounts = accounts; self.images = images
        self.snapshots = snapshots; self.regionSettings = regionSettings
        self.workloads = workloads; self.referencedImages = referencedImages
        self.coverage = coverage; self.errors = errors
    }
}
