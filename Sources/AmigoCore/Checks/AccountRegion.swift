import Foundation

/// The subject of a region check: one account×region the scan read, with its guardrail
/// settings. The engine asks region checks once per such account×region. Fail-closed: when the
/// settings (or the one field a check reads) were not collected, the guardrail cannot be
/// verified, and that is a violation, never a pass.
public struct AccountRegion: CheckSubject, Hashable {
    public static var resourceType: String { Finding.regionResourceType }
    public var resourceId: String { RegionRef(accountId: accountId, region: region).resourceId }
    public var resourceName: String? { nil }
    public var subjectDiscriminator: String? { nil }

    public var accountId: String
    public var region: String
    /// nil: the settings were not collected.
    public var settings: RegionSettings?

    public init(accountId: String, region: String, settings: RegionSettings?) {
        self.accountId = accountId; self.region = region; self.settings = settings
    }

    /// The account×region every example is about.
    public static let exampleAccount = "111111111111"
    public static let exampleRegion = "us-east-1"
}

extension RegionSettings {
    /// Settings of the examples' account×region with every guardrail on; `configure` turns some off.
    public static func example(_ configure: (inout RegionSettings) -> Void = { _ in }) -> RegionSettings {
        var settings = RegionSettings(accountId: AccountRegion.exampleAccount, region: AccountRegion.exampleRegion,
                                      imageBlockPublicAccess: "block-new-sharing",
                                      snapshotBlockPublicAccess: "block-all-sharing", ebsEncryptionByDefault: true,
                                      allowedImagesState: "enabled")
        configure(&settings)
        return settings
    }
}

extension Check where Subject == AccountRegion {
    /// The fail-closed violation for a setting that was not read.
    static func cannotVerify(_ setting: String, api: String) -> Violation {
        Violation("\(setting) could not be read (\(api)); the guardrail cannot be verified.",
                  evidence: [setting: "not collected"])
    }
}

/// Reads a list parameter whose entries must come from a fixed set (`allowed: [enabled]`),
/// with errors located at the offending entry.
extension CheckParameters {
    func subset(_ key: String, of choices: [String]) throws -> [String]? {
        guard let values = try strings(key) else { return nil }
        let node = location(key)
        if values.isEmpty { throw error("'\(key)' must name at least one of \(choices.joined(separator: ", "))", at: node) }
        for (i, value) in values.enumerated() where !choices.contains(value) {
            let item = node?.sequence.map { Array($0)[i] } ?? node
            throw error("'\(key)' entry '\(value)' is not one of \(choices.joined(separator: ", "))", at: item)
        }
        return values
    }
}
