import Foundation

/// Block public access for EBS snapshots keeps the data behind AMIs from being shared with
/// everyone, even when an AMI itself is private.
public struct SnapshotBlockPublicAccessCheck: RegionCheck {
    public static let id = "snapshot-block-public-access"
    public static let summary = "Block public access for EBS snapshots is in an allowed state in every scanned region."
    public static let states = ["block-all-sharing", "block-new-sharing", "unblocked"]
    public static let parameters = [
        ParameterDoc("allowed", "[block-all-sharing | block-new-sharing | unblocked]",
                     "States that pass (default [block-all-sharing, block-new-sharing])."),
    ]
    public static let needs: Set<DataNeed> = [.regionSettings]

    public let allowed: [String]

    public init(parameters: CheckParameters) throws {
        allowed = try parameters.subset("allowed", of: Self.states) ?? ["block-all-sharing", "block-new-sharing"]
        try parameters.finish()
    }

    public func evaluate(_ settings: RegionSettings?, account: String, region: String,
                         in context: EvaluationContext) -> [Violation] {
        guard let state = settings?.snapshotBlockPublicAccess else {
            return [Self.cannotVerify("snapshotBlockPublicAccess", api: "GetSnapshotBlockPublicAccessState")]
        }
        if allowed.contains(state) { return [] }
        return [Violation("Block public access for EBS snapshots is \(UntrustedText.quoted(state)) (allowed: \(allowed.joined(separator: ", "))): snapshots can be made public.",
                          evidence: ["snapshotBlockPublicAccess": state, "allowed": allowed.joined(separator: ",")])]
    }

    public static var examples: [RegionCheckExample] {
        [
            RegionCheckExample("block all sharing", settings: .example(), expect: .pass),
            RegionCheckExample("block new sharing", settings: .example { $0.snapshotBlockPublicAccess = "block-new-sharing" },
                               expect: .pass),
            RegionCheckExample("unblocked", settings: .example { $0.snapshotBlockPublicAccess = "unblocked" }, expect: .fail),
            RegionCheckExample("block new sharing when only block-all is allowed", params: "allowed: [block-all-sharing]",
                               settings: .example { $0.snapshotBlockPublicAccess = "block-new-sharing" }, expect: .fail),
            RegionCheckExample("state not read", settings: .example { $0.snapshotBlockPublicAccess = nil }, expect: .fail),
            RegionCheckExample("settings not collected", settings: nil, expect: .fail),
        ]
    }
}
