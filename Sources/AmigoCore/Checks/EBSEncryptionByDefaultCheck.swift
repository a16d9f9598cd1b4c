import Foundation

/// With EBS encryption by default on, every new volume and snapshot in the region is
/// encrypted, including those an AMI build creates: `encryption` findings stop at the source.
public struct EBSEncryptionByDefaultCheck: RegionCheck {
    public static let id = "ebs-encryption-by-default"
    public static let summary = "EBS encryption by default is on in every scanned region."
    public static let parameters: [ParameterDoc] = []
    public static let needs: Set<DataNeed> = [.regionSettings]

    public init(parameters: CheckParameters) throws {
        try parameters.finish()
    }

    public func evaluate(_ settings: RegionSettings?, account: String, region: String,
                         in context: EvaluationContext) -> [Violation] {
        guard let enabled = settings?.ebsEncryptionByDefault else {
            return [Self.cannotVerify("ebsEncryptionByDefault", api: "GetEbsEncryptionByDefault")]
        }
        if enabled { return [] }
        return [Violation("EBS encryption by default is off: new volumes and snapshots may be unencrypted.",
                          evidence: ["ebsEncryptionByDefault": "false"])]
    }

    public static var examples: [RegionCheckExample] {
        [
            RegionCheckExample("on", settings: .example(), expect: .pass),
            RegionCheckExample("off", settings: .example { $0.ebsEncryptionByDefault = false }, expect: .fail),
            RegionCheckExample("not read", settings: .example { $0.ebsEncryptionByDefault = nil }, expect: .fail),
            RegionCheckExample("settings not collected", settings: nil, expect: .fail),
        ]
    }
}
