/// Every check a policy can name, by id.
public enum CheckRegistry {
    public static let all: [any Check.Type] = [
        AgeCheck.self, CrossAccountSharingCheck.self, EncryptionCheck.self,
        PublicSharingCheck.self, TagsCheck.self, VirtualizationTypeCheck.self,
    ]

    public static func type(for id: String) -> (any Check.Type)? {
        all.first { $0.id == id }
    }
}
