/// Every check a policy can name, by id: image checks judge each image, region checks each
/// account×region. Ids are unique across both lists.
public enum CheckRegistry {
    public static let all: [any Check.Type] = [
        AgeCheck.self, CrossAccountSharingCheck.self, DeprecationScheduledCheck.self, EncryptionCheck.self,
        IMDSv2Check.self, PublicSharingCheck.self, SnapshotSharingCheck.self, TagsCheck.self,
        UnusedCheck.self, VirtualizationTypeCheck.self,
    ]

    public static let regionChecks: [any RegionCheck.Type] = [
        AllowedImagesSettingsCheck.self, EBSEncryptionByDefaultCheck.self,
        ImageBlockPublicAccessCheck.self, SnapshotBlockPublicAccessCheck.self,
    ]

    public static func type(for id: String) -> (any Check.Type)? {
        all.first { $0.id == id }
    }

    public static func regionType(for id: String) -> (any RegionCheck.Type)? {
        regionChecks.first { $0.id == id }
    }

    /// Both kinds, documented alike, sorted by id: what `amigo policies list` prints.
    public static var descriptors: [CheckDescriptor] {
        (all.map(CheckDescriptor.init) + regionChecks.map(CheckDescriptor.init)).sorted { $0.id < $1.id }
    }

    public static var ids: [String] { descriptors.map(\.id) }
}

/// What a policy author needs to know about a check, whichever kind it is.
public struct CheckDescriptor: Sendable {
    public struct Example: Sendable {
        public var name: String
        public var params: String
        public var expect: CheckExample.Expectation
    }

    public var id: String
    public var summary: String
    /// `image` or `region`: what one finding of this check is about (`Finding.resourceType`).
    public var resourceType: String
    public var parameters: [ParameterDoc]
    public var needs: Set<DataNeed>
    public var examples: [Example]

    init(_ check: any Check.Type) {
        id = check.id; summary = check.summary; resourceType = Finding.imageResourceType
        parameters = check.parameters; needs = check.needs
        examples = check.examples.map { Example(name: $0.name, params: $0.params, expect: $0.expect) }
    }

    init(_ check: any RegionCheck.Type) {
        id = check.id; summary = check.summary; resourceType = Finding.regionResourceType
        parameters = check.parameters; needs = check.needs
        examples = check.examples.map { Example(name: $0.name, params: $0.params, expect: $0.expect) }
    }
}
