import Foundation

/// Allowed AMIs limits which images instances may be launched from (by provider, owner,
/// name). `enabled` enforces the list; `audit-mode` only reports, which some teams accept
/// while they roll it out.
public struct AllowedImagesSettingsCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "allowed-images-settings",
        title: "Allowed AMIs is in an allowed state (default: enabled) in every scanned region.",
        rationale: "Without Allowed AMIs enforced, instances in the region can be launched from any image, including public and community images nobody vetted.",
        remediation: Remediation(
            "Define the image criteria (trusted providers, owners, names), run in audit mode until nothing needed is excluded, then enable it.",
            commands: [
                "aws ec2 replace-image-criteria-in-allowed-images-settings --region <region> --image-criteria '[{\"ImageProviders\":[\"amazon\",\"<account-id>\"]}]'",
                "aws ec2 enable-allowed-images-settings --region <region> --allowed-images-settings-state enabled",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-allowed-amis.html"),
        parameters: [
            ParameterDoc("allowed", "[enabled | audit-mode | disabled]", "States that pass (default [enabled])."),
        ],
        needs: [.regionSettings],
        examples: examples)
    public static let states = ["enabled", "audit-mode", "disabled"]

    public let allowed: [String]

    public init(parameters: CheckParameters) throws {
        allowed = try parameters.subset("allowed", of: Self.states) ?? ["enabled"]
        try parameters.finish()
    }

    public func evaluate(_ region: AccountRegion, in context: EvaluationContext) -> [Violation] {
        let settings = region.settings
        guard let state = settings?.allowedImagesState else {
            return [Self.cannotVerify("allowedImagesState", api: "GetAllowedImagesSettings")]
        }
        if allowed.contains(state) { return [] }
        return [Violation("Allowed AMIs is \(UntrustedText.quoted(state)) (allowed: \(allowed.joined(separator: ", "))): instances may launch from images outside the allow-list.",
                          evidence: ["allowedImagesState": state, "allowed": allowed.joined(separator: ",")])]
    }

    private static var examples: [CheckExample] {
        [
            CheckExample("enabled", settings: .example(), expect: .pass),
            CheckExample("audit mode when allowed", params: "allowed: [enabled, audit-mode]",
                               settings: .example { $0.allowedImagesState = "audit-mode" }, expect: .pass),
            CheckExample("audit mode by default", settings: .example { $0.allowedImagesState = "audit-mode" },
                               expect: .fail(evidence: ["allowedImagesState": "audit-mode", "allowed": "enabled"])),
            CheckExample("disabled", params: "allowed: [enabled, audit-mode]",
                               settings: .example { $0.allowedImagesState = "disabled" }, expect: .fail(evidence: ["allowedImagesState": "disabled", "allowed": "enabled,audit-mode"])),
            CheckExample("state not read", settings: .example { $0.allowedImagesState = nil }, expect: .fail(evidence: ["allowedImagesState": "not collected"])),
            CheckExample("settings not collected", settings: nil, expect: .fail(evidence: ["allowedImagesState": "not collected"])),
        ]
    }
}
