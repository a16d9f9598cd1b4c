import Foundation

/// An AMI as `DescribeImages` describes it, plus what amigo learned around it
/// (launch permissions, usage). Optional fields are nil when AWS did not send them;
/// collections that need a separate call are nil when that call was not made.
public struct Image: Sendable, Hashable, Codable {
    public var accountId: String
    public var region: String
    public var imageId: String
    public var name: String?
    public var description: String?
    public var ownerId: String
    public var ownerAlias: String?
    public var creationDate: Date?
    public var deprecationTime: Date?
    public var state: String
    public var isPublic: Bool
    public var virtualizationType: String?
    public var architecture: String?
    public var imageType: String?
    public var rootDeviceType: String?
    public var rootDeviceName: String?
    public var bootMode: String?
    public var imdsSupport: String?
    public var tpmSupport: String?
    public var enaSupport: Bool?
    public var platform: String?
    public var platformDetails: String?
    public var usageOperation: String?
    public var sourceImageId: String?
    public var sourceImageRegion: String?
    public var deregistrationProtection: String?
    public var lastLaunchedTime: Date?
    public var tags: [Tag]
    public var blockDevices: [BlockDevice]
    /// nil: `DescribeImageAttribute launchPermission` was not called for this image.
    public var launchPermissions: [LaunchPermission]?
    /// nil: usage was not collected. Otherwise the number of instances running this image.
    public var instanceCount: Int?
    /// nil: launch templates were not read. Otherwise how many launch template versions
    /// (each template's default and latest) launch this image.
    public var launchTemplateCount: Int?

    /// No compliant defaults: owner, state and visibility must be given, and what is not given
    /// is nil (unknown), which checks treat as "cannot verify", never as a safe value.
    public init(accountId: String, region: String, imageId: String, name: String? = nil,
                description: String? = nil, ownerId: String, ownerAlias: String? = nil,
                creationDate: Date? = nil, deprecationTime: Date? = nil, state: String,
                isPublic: Bool, virtualizationType: String? = nil,
                architecture: String? = nil, imageType: String? = nil,
                rootDeviceType: String? = nil, rootDeviceName: String? = nil,
                bootMode: String? = nil, imdsSupport: String? = nil, tpmSupport: String? = nil,
                enaSupport: Bool? = nil, platform: String? = nil, platformDetails: String? = nil,
                usageOperation: String? = nil, sourceImageId: String? = nil,
                sourceImageRegion: String? = nil, deregistrationProtection: String? = nil,
                lastLaunchedTime: Date? = nil, tags: [Tag] = [], blockDevices: [BlockDevice] = [],
                launchPermissions: [LaunchPermission]? = nil, instanceCount: Int? = nil,
                launchTemplateCount: Int? = nil) {
        self.accountId = accountId
        self.region = region
        self.imageId = imageId
        self.name = name
        self.description = description
        self.ownerId = ownerId
        self.ownerAlias = ownerAlias
        self.creationDate = creationDate
        self.deprecationTime = deprecationTime
        self.state = state
        self.isPublic = isPublic
        self.virtualizationType = virtualizationType
        self.architecture = architecture
        self.imageType = imageType
        self.rootDeviceType = rootDeviceType
        self.rootDeviceName = rootDeviceName
        self.bootMode = bootMode
        self.imdsSupport = imdsSupport
        self.tpmSupport = tpmSupport
        self.enaSupport = enaSupport
        self.platform = platform
        self.platformDetails = platformDetails
        self.usageOperation = usageOperation
        self.sourceImageId = sourceImageId
        self.sourceImageRegion = sourceImageRegion
        self.deregistrationProtection = deregistrationProtection
        self.lastLaunchedTime = lastLaunchedTime
        self.tags = tags
        self.blockDevices = blockDevices
        self.launchPermissions = launchPermissions
        self.instanceCount = instanceCount
        self.launchTemplateCount = launchTemplateCount
    }

    public func tag(_ key: String) -> String? { tags.first { $0.key == key }?.value }
}

public struct Tag: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    public init(_ key: String, _ value: String) { self.key = key; self.value = value }
}

/// One entry of an image's `BlockDeviceMappings`. Instance-store (ephemeral) mappings have
/// a `virtualName` and no EBS fields.
public struct BlockDevice: Sendable, Hashable, Codable {
    public var deviceName: String
    public var virtualName: String?
    public var snapshotId: String?
    public var volumeSize: Int?
    public var volumeType: String?
    public var encrypted: Bool?
    public var kmsKeyId: String?
    public var deleteOnTermination: Bool?

    public init(deviceName: String, virtualName: String? = nil, snapshotId: String? = nil,
                volumeSize: Int? = nil, volumeType: String? = nil, encrypted: Bool? = nil,
                kmsKeyId: String? = nil, deleteOnTermination: Bool? = nil) {
        self.deviceName = deviceName
        self.virtualName = virtualName
        self.snapshotId = snapshotId
        self.volumeSize = volumeSize
        self.volumeType = volumeType
        self.encrypted = encrypted
        self.kmsKeyId = kmsKeyId
        self.deleteOnTermination = deleteOnTermination
    }

    public var isEBS: Bool { virtualName == nil }
}

/// Who may launch an image (or create a volume from a snapshot): AWS's `LaunchPermission`
/// carries exactly one of `Group` (only `all`), `UserId`, `OrganizationArn`,
/// `OrganizationalUnitArn`.
public enum LaunchPermission: Sendable, Hashable, Codable {
    case everyone
    case account(String)
    case organization(String)
    case organizationalUnit(String)

    public var kind: String {
        switch self {
        case .everyone: "group"
        case .account: "user-id"
        case .organization: "organization-arn"
        case .organizationalUnit: "organizational-unit-arn"
        }
    }

    public var value: String {
        switch self {
        case .everyone: "all"
        case .account(let v), .organization(let v), .organizationalUnit(let v): v
        }
    }

    public init?(kind: String, value: String) {
        switch kind {
        case "group" where value == "all": self = .everyone
        case "user-id": self = .account(value)
        case "organization-arn": self = .organization(value)
        case "organizational-unit-arn": self = .organizationalUnit(value)
        default: return nil
        }
    }
}
