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
    case usage               // which images instances and launch templates use (Image.instanceCount, launchTemplateCount)
    case organization        // the organisation's identity and members
    /// What runs or would launch images: instances, launch template versions ($Default,
    /// $Latest), Auto Scaling groups, launch configurations, SSM `aws:ec2:image` parameters.
    case workloads
    /// The workloads' images that the account×region does not own (shared, Marketplace,
    /// Amazon, community), or "not found"; implies `workloads`.
    case referencedImages
    /// `DescribeInstanceImageMetadata` for each instance (`Workload.imageMetadata`).
    case instanceImageMetadata
    /// When each owned image was last launched (`Image.lastLaunchedTime`).
    case lastLaunchedTime

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

/// What a check judges: an image, or an account×region (the guardrails around the images).
/// The engine has one loop per kind of subject; everything else about checks is shared.
public protocol CheckSubject: Sendable {
    /// What one finding about such a subject is about (`Finding.resourceType`).
    static var resourceType: String { get }
}

extension Image: CheckSubject {
    public static var resourceType: String { Finding.imageResourceType }
}

/// One kind of rule. A policy names a check by its descriptor's `id` and gives it parameters;
/// the check decodes them once (with errors naming the policy and key) and then judges subjects.
public protocol Check<Subject>: Sendable {
    associatedtype Subject: CheckSubject
    /// Everything a policy author and a reviewer need to know about the check, in one value.
    static var descriptor: CheckDescriptor { get }

    init(parameters: CheckParameters) throws
    func evaluate(_ subject: Subject, in context: EvaluationContext) -> [Violation]
}

extension Check {
    public static var resourceType: String { Subject.resourceType }
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
