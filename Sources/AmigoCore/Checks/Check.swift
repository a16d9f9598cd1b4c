import Foundation

/// The data a check reads. The collector makes only the calls the enabled checks need; which
/// calls those are is the collectors' to say (`DataNeed.actions` in AmigoCollect), next to
/// the code that makes them.
public enum DataNeed: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case images              // the images themselves
    case launchPermissions   // who may launch each image
    case snapshots           // the snapshots behind images
    case snapshotPermissions // who may create volumes from them
    case regionSettings      // the region's guardrails: block public access, EBS encryption, allowed images
    case usage               // which images instances and launch templates use
    case organization        // the organisation's identity and members

    public static func < (a: DataNeed, b: DataNeed) -> Bool { a.rawValue < b.rawValue }
}

/// Documentation of one parameter, for `amigo policies list` and the README.
public struct ParameterDoc: Sendable, Hashable {
    public var name: String
    public var type: String
    public var required: Bool
    public var summary: String
    public init(_ name: String, _ type: String, required: Bool = false, _ summary: String) {
        self.name = name; self.type = type; self.required = required; self.summary = summary
    }
}

/// An example a check carries, run by one parameterized test: `params` is the YAML of the
/// policy's `params:` mapping (or empty), `image` must pass or fail accordingly.
public struct CheckExample: Sendable {
    public enum Expectation: String, Sendable { case pass, fail }
    public var name: String
    public var params: String
    public var image: Image
    public var context: EvaluationContext
    public var expect: Expectation
    public init(_ name: String, params: String = "", image: Image,
                context: EvaluationContext = .example, expect: Expectation) {
        self.name = name; self.params = params; self.image = image
        self.context = context; self.expect = expect
    }
}

/// One kind of rule. A policy names a check by `id` and gives it parameters; the check decodes
/// them once (with errors naming the policy and key) and then judges images.
public protocol Check: Sendable {
    static var id: String { get }
    static var summary: String { get }
    static var parameters: [ParameterDoc] { get }
    static var needs: Set<DataNeed> { get }
    static var examples: [CheckExample] { get }

    init(parameters: CheckParameters) throws
    func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation]
}

/// What a check may know beyond the image itself.
public struct EvaluationContext: Sendable {
    public var asOf: Date
    public var organization: Organization?
    public var snapshots: [String: Snapshot]
    public var regionSettings: [String: RegionSettings]

    public init(asOf: Date, organization: Organization? = nil, snapshots: [String: Snapshot] = [:],
                regionSettings: [String: RegionSettings] = [:]) {
        self.asOf = asOf; self.organization = organization; self.snapshots = snapshots
        self.regionSettings = regionSettings
    }

    public static func snapshotKey(account: String, region: String, snapshotId: String) -> String {
        "\(account)/\(region)/\(snapshotId)"
    }

    public func snapshot(for image: Image, _ device: BlockDevice) -> Snapshot? {
        guard let id = device.snapshotId else { return nil }
        return snapshots[Self.snapshotKey(account: image.accountId, region: image.region, snapshotId: id)]
    }

    public func settings(for image: Image) -> RegionSettings? {
        regionSettings["\(image.accountId)/\(image.region)"]
    }

    /// Examples run as of 2026-01-01 inside an organisation `o-example` whose members are
    /// 111111111111 (management) and 222222222222.
    public static let example = EvaluationContext(
        asOf: Date(timeIntervalSince1970: 1_767_225_600),
        organization: Organization(id: "o-example",
                                   arn: "arn:aws:organizations::111111111111:organization/o-example",
                                   managementAccountId: "111111111111",
                                   memberAccountIds: ["111111111111", "222222222222"]))
}
