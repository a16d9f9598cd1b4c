import Foundation

/// Block public access for AMIs stops anyone in the account from making an image public in
/// that region: the guardrail that makes `public-sharing` findings impossible to create.
public struct ImageBlockPublicAccessCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "image-block-public-access",
        title: "Block public access for AMIs is on (state block-new-sharing) in every scanned region.",
        rationale: "Block public access for AMIs stops anyone in the account from making an image public in the region: the guardrail that makes public-sharing findings impossible to create.",
        remediation: Remediation(
            "Turn block public access for AMIs on in the region (state block-new-sharing).",
            commands: [
                "aws ec2 enable-image-block-public-access --region <region> --image-block-public-access-state block-new-sharing",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-public-access-to-amis.html"),
        parameters: [],
        needs: [.regionSettings],
        examples: examples)

    public init(parameters: CheckParameters) throws {
        try parameters.finish()
    }

    public func evaluate(_ region: AccountRegion, in context: EvaluationContext) -> [Violation] {
        let settings = region.settings
        guard let state = settings?.imageBlockPublicAccess else {
            return [Self.cannotVerify("imageBlockPublicAccess", api: "GetImageBlockPublicAccessState")]
        }
        if state == "block-new-sharing" { return [] }
        return [Violation("Block public access for AMIs is \(UntrustedText.quoted(state)) (required: block-new-sharing): anyone with ec2:ModifyImageAttribute can make an AMI public.",
                          evidence: ["imageBlockPublicAccess": state])]
    }

    private static var examples: [CheckExample] {
        [
            CheckExample("blocked", settings: .example(), expect: .pass),
            CheckExample("unblocked", settings: .example { $0.imageBlockPublicAccess = "unblocked" }, expect: .fail(evidence: ["imageBlockPublicAccess": "unblocked"])),
            CheckExample("state not read", settings: .example { $0.imageBlockPublicAccess = nil }, expect: .fail(evidence: ["imageBlockPublicAccess": "not collected"])),
            CheckExample("settings not collected", settings: nil, expect: .fail(evidence: ["imageBlockPublicAccess": "not collected"])),
        ]
    }
}
