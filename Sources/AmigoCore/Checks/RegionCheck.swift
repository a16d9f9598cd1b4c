import Foundation

/// An example a region check carries, run by the same parameterized test as image examples:
/// `settings` nil means the region's settings were not collected at all.
public struct RegionCheckExample: Sendable {
    public var name: String
    public var params: String
    public var settings: RegionSettings?
    public var expect: CheckExample.Expectation
    public init(_ name: String, params: String = "", settings: RegionSettings?, expect: CheckExample.Expectation) {
        self.name = name; self.params = params; self.settings = settings; self.expect = expect
    }

    /// The account×region every example is about.
    public static let account = "111111111111"
    public static let region = "us-east-1"
}

extension RegionSettings {
    /// Settings of the examples' account×region with every guardrail on; `configure` turns some off.
    public static func example(_ configure: (inout RegionSettings) -> Void = { _ in }) -> RegionSettings {
        var settings = RegionSettings(accountId: RegionCheckExample.account, region: RegionCheckExample.region,
                                      imageBlockPublicAccess: "block-new-sharing",
                                      snapshotBlockPublicAccess: "block-all-sharing", ebsEncryptionByDefault: true,
                                      allowedImagesState: "enabled")
        configure(&settings)
        return settings
    }
}

/// A rule about an account×region rather than an image: the guardrails around the AMIs.
/// The engine asks it once per account×region the scan read. Fail-closed: when the settings
/// (or the one field the check reads) were not collected, the check cannot verify the
/// guardrail, and that is a violation, never a pass.
public protocol RegionCheck: Sendable {
    static var id: String { get }
    static var summary: String { get }
    static var parameters: [ParameterDoc] { get }
    static var needs: Set<DataNeed> { get }
    static var examples: [RegionCheckExample] { get }

    init(parameters: CheckParameters) throws
    func evaluate(_ settings: RegionSettings?, account: String, region: String,
                  in context: EvaluationContext) -> [Violation]
}

extension RegionCheck {
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
