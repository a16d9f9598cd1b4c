import Foundation

/// With EBS encryption by default on, every new volume and snapshot in the region is
/// encrypted, including those an AMI build creates: `encryption` findings stop at the source.
public struct EBSEncryptionByDefaultCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "ebs-encryption-by-default",
        title: "EBS encryption by default is on in every scanned region.",
        rationale: "With encryption by default off, every volume and snapshot created in the region without an explicit setting is unencrypted, including those an image build creates.",
        remediation: Remediation(
            "Turn EBS encryption by default on in the region (optionally with a customer managed default key).",
            commands: [
                "aws ec2 enable-ebs-encryption-by-default --region <region>",
                "aws ec2 modify-ebs-default-kms-key-id --region <region> --kms-key-id <kms-key-arn>",
            ],
            documentation: "https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html"),
        parameters: [],
        needs: [.regionSettings],
        examples: examples)

    public init(parameters: CheckParameters) throws {
        try parameters.finish()
    }

    public func evaluate(_ region: AccountRegion, in context: EvaluationContext) -> [Violation] {
        let settings = region.settings
        guard let enabled = settings?.ebsEncryptionByDefault else {
            return [Self.cannotVerify("ebsEncryptionByDefault", api: "GetEbsEncryptionByDefault")]
        }
        if enabled { return [] }
        return [Violation("EBS encryption by default is off: new volumes and snapshots may be unencrypted.",
                          evidence: ["ebsEncryptionByDefault": "false"])]
    }

    private static var examples: [CheckExample] {
        [
            CheckExample("on", settings: .example(), expect: .pass),
            CheckExample("off", settings: .example { $0.ebsEncryptionByDefault = false }, expect: .fail(evidence: ["ebsEncryptionByDefault": "false"])),
            CheckExample("not read", settings: .example { $0.ebsEncryptionByDefault = nil }, expect: .fail(evidence: ["ebsEncryptionByDefault": "not collected"])),
            CheckExample("settings not collected", settings: nil, expect: .fail(evidence: ["ebsEncryptionByDefault": "not collected"])),
        ]
    }
}
