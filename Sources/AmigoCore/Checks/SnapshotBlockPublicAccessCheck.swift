import Foundation

/// Block public access for EBS snapshots keeps the data behind AMIs from being shared with
/// everyone, even when an AMI itself is private.
public struct SnapshotBlockPublicAccessCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "snapshot-block-public-access",
        title: "Block public access for EBS snapshots is in an allowed state in every scanned region.",
        rationale: "Block public access for EBS snapshots keeps the data behind images from being shared with everyone, even when an image itself is private.",
        remediation: Remediation(
            "Turn block public access for EBS snapshots on in the region, in one of the allowed states.",
            commands: [
                "aws ec2 enable-snapshot-block-public-access --region <region> --state block-all-sharing",
            ],
            documentation: "https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html"),
        parameters: [
            ParameterDoc("allowed", "[block-all-sharing | block-new-sharing | unblocked]",
                         "States that pass (default [block-all-sharing, block-new-sharing])."),
        ],
        needs: [.regionSettings],
        examples: examples)
    public static let states = ["block-all-sharing", "block-new-sharing", "unblocked"]

    public let allowed: [String]

    public init(parameters: CheckParameters) throws {
        allowed = try parameters.subset("allowed", of: Self.states) ?? ["block-all-sharing", "block-new-sharing"]
        try parameters.finish()
    }

    public func evaluate(_ region: AccountRegion, in context: EvaluationContext) -> [Violation] {
        let settings = region.settings
        guard let state = settings?.snapshotBlockPublicAccess else {
            return [Self.cannotVerify("snapshotBlockPublicAccess", api: "GetSnapshotBlockPublicAccessState")]
        }
        if allowed.contains(state) { return [] }
        return [Violation("Block public access for EBS snapshots is \(UntrustedText.quoted(state)) (allowed: \(allowed.joined(separator: ", "))): snapshots can be made public.",
                          evidence: ["snapshotBlockPublicAccess": state, "allowed": allowed.joined(separator: ",")])]
    }

    private static var examples: [CheckExample] {
        [
            CheckExample("block all sharing", settings: .example(), expect: .pass),
            CheckExample("block new sharing", settings: .example { $0.snapshotBlockPublicAccess = "block-new-sharing" },
                               expect: .pass),
            CheckExample("unblocked", settings: .example { $0.snapshotBlockPublicAccess = "unblocked" }, expect: .fail(evidence: ["snapshotBlockPublicAccess": "unblocked", "allowed": "block-all-sharing,block-new-sharing"])),
            CheckExample("block new sharing when only block-all is allowed", params: "allowed: [block-all-sharing]",
                               settings: .example { $0.snapshotBlockPublicAccess = "block-new-sharing" }, expect: .fail(evidence: ["snapshotBlockPublicAccess": "block-new-sharing", "allowed": "block-all-sharing"])),
            CheckExample("state not read", settings: .example { $0.snapshotBlockPublicAccess = nil }, expect: .fail(evidence: ["snapshotBlockPublicAccess": "not collected"])),
            CheckExample("settings not collected", settings: nil, expect: .fail(evidence: ["snapshotBlockPublicAccess": "not collected"])),
        ]
    }
}
