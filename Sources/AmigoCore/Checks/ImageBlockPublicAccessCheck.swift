import Foundation

/// Block public access for AMIs stops anyone in the account from making an image public in
/// that region: the guardrail that makes `public-sharing` findings impossible to create.
public struct ImageBlockPublicAccessCheck: RegionCheck {
    public static let id = "image-block-public-access"
    public static let summary = "Block public access for AMIs is on (state block-new-sharing) in every scanned region."
    public static let parameters: [ParameterDoc] = []
    public static let needs: Set<DataNeed> = [.regionSettings]

    public init(parameters: CheckParameters) throws {
        try parameters.finish()
    }

    public func evaluate(_ settings: RegionSettings?, account: String, region: String,
                         in context: EvaluationContext) -> [Violation] {
        guard let state = settings?.imageBlockPublicAccess else {
            return [Self.cannotVerify("imageBlockPublicAccess", api: "GetImageBlockPublicAccessState")]
        }
        if state == "block-new-sharing" { return [] }
        return [Violation("Block public access for AMIs is \(UntrustedText.quoted(state)) (required: block-new-sharing): anyone with ec2:ModifyImageAttribute can make an AMI public.",
                          evidence: ["imageBlockPublicAccess": state])]
    }

    public static var examples: [RegionCheckExample] {
        [
            RegionCheckExample("blocked", settings: .example(), expect: .pass),
            RegionCheckExample("unblocked", settings: .example { $0.imageBlockPublicAccess = "unblocked" }, expect: .fail),
            RegionCheckExample("state not read", settings: .example { $0.imageBlockPublicAccess = nil }, expect: .fail),
            RegionCheckExample("settings not collected", settings: nil, expect: .fail),
        ]
    }
}
