import Foundation

/// Allowed AMIs limits which images instances may be launched from (by provider, owner,
/// name). `enabled` enforces the list; `audit-mode` only reports, which some teams accept
/// while they roll it out.
public struct AllowedImagesSettingsCheck: RegionCheck {
    public static let id = "allowed-images-settings"
    public static let summary = "Allowed AMIs is in an allowed state (default: enabled) in every scanned region."
    public static let states = ["enabled", "audit-mode", "disabled"]
    public static let parameters = [
        ParameterDoc("allowed", "[enabled | audit-mode | disabled]", "States that pass (default [enabled])."),
    ]
    public static let needs: Set<DataNeed> = [.regionSettings]

    public let allowed: [String]

    public init(parameters: CheckParameters) throws {
        allowed = try parameters.subset("allowed", of: Self.states) ?? ["enabled"]
        try parameters.finish()
    }

    public func evaluate(_ settings: RegionSettings?, account: String, region: String,
                         in context: EvaluationContext) -> [Violation] {
        guard let state = settings?.allowedImagesState else {
            return [Self.cannotVerify("allowedImagesState", api: "GetAllowedImagesSettings")]
        }
        if allowed.contains(state) { return [] }
        return [Violation("Allowed AMIs is \(UntrustedText.quoted(state)) (allowed: \(allowed.joined(separator: ", "))): instances may launch from images outside the allow-list.",
                          evidence: ["allowedImagesState": state, "allowed": allowed.joined(separator: ",")])]
    }

    public static var examples: [RegionCheckExample] {
        [
            RegionCheckExample("enabled", settings: .example(), expect: .pass),
            RegionCheckExample("audit mode when allowed", params: "allowed: [enabled, audit-mode]",
                               settings: .example { $0.allowedImagesState = "audit-mode" }, expect: .pass),
            RegionCheckExample("audit mode by default", settings: .example { $0.allowedImagesState = "audit-mode" },
                               expect: .fail),
            RegionCheckExample("disabled", params: "allowed: [enabled, audit-mode]",
                               settings: .example { $0.allowedImagesState = "disabled" }, expect: .fail),
            RegionCheckExample("state not read", settings: .example { $0.allowedImagesState = nil }, expect: .fail),
            RegionCheckExample("settings not collected", settings: nil, expect: .fail),
        ]
    }
}
