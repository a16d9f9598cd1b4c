/// Every check a policy can name, whatever its subject: the one list the policy loader,
/// `amigo policies list`, the README's check table and the example test enumerate.
public enum CheckRegistry {
    /// Sorted by id; ids are unique (a test holds both).
    public static let all: [any Check.Type] = [
        AgeCheck.self, AllowedImagesSettingsCheck.self, ApprovedImageCheck.self, CrossAccountSharingCheck.self,
        DeprecationScheduledCheck.self, EBSEncryptionByDefaultCheck.self, EncryptionCheck.self,
        ImageAllowedCheck.self, ImageBlockPublicAccessCheck.self, ImageCurrentCheck.self, IMDSv2Check.self,
        PublicSharingCheck.self,
        SnapshotBlockPublicAccessCheck.self, SnapshotSharingCheck.self, TagsCheck.self,
        UnusedCheck.self, VirtualizationTypeCheck.self,
    ]

    public static func type(for id: String) -> (any Check.Type)? {
        all.first { $0.descriptor.id == id }
    }

    public static var ids: [String] { all.map { $0.descriptor.id } }
}
