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

/// What a check judges: an image, an account×region (the guardrails around the images), or a
/// workload (something that runs or would launch an image). Findings about any subject are
/// made in one place (`Engine.finding`) from these fields.
public protocol CheckSubject: Sendable {
    /// What one finding about such a subject is about (`Finding.resourceType`).
    static var resourceType: String { get }
    var accountId: String { get }
    var region: String { get }
    /// `Finding.resourceId`.
    var resourceId: String { get }
    /// `Finding.resourceName`.
    var resourceName: String? { get }
    /// Tells apart two subjects with one `resourceId` (nil: the id is unique); it leads the
    /// finding's discriminator.
    var subjectDiscriminator: String? { get }
}

extension Image: CheckSubject {
    public static var resourceType: String { Finding.imageResourceType }
    public var resourceId: String { imageId }
    public var resourceName: String? { name }
    public var subjectDiscriminator: String? { nil }
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

/// What a check may know beyond its subject.
public struct EvaluationContext: Sendable {
    public var asOf: Date
    public var organization: Organization?
    /// The scan's accounts by id (OU membership for `approved-image`).
    public var accounts: [String: Account]
    public var snapshots: [String: Snapshot]
    public var regionSettings: [String: RegionSettings]
    /// nil: workloads were not collected in this scan, so nothing is known about what launches
    /// an image.
    public var workloads: WorkloadIndex? { didSet { indexByOwner() } }
    /// Images owned by the scanned accounts, by `ImageKey`: filled only for workload policies,
    /// which are judged once every image has been seen.
    public var ownedImages: [ImageKey: Image] { didSet { indexByOwner() } }
    /// `ownedImages` and the images described for workloads, by owner and region: the
    /// candidates of an image's family (`image-current`).
    public private(set) var imagesByOwner: [String: [Image]] = [:]

    public init(asOf: Date, organization: Organization? = nil, accounts: [String: Account] = [:],
                snapshots: [String: Snapshot] = [:], regionSettings: [String: RegionSettings] = [:],
                workloads: WorkloadIndex? = nil, ownedImages: [ImageKey: Image] = [:]) {
        self.asOf = asOf; self.organization = organization; self.accounts = accounts
        self.snapshots = snapshots; self.regionSettings = regionSettings
        self.workloads = workloads; self.ownedImages = ownedImages
        indexByOwner()
    }

    public func images(owner: String, region: String) -> [Image] { imagesByOwner["\(owner)/\(region)"] ?? [] }

    private mutating func indexByOwner() {
        var index: [String: [Image]] = [:]
        var seen: Set<ImageKey> = []
        var all = Array(ownedImages.values)
        if let described = workloads?.describedImages { all += described }
        for image in all where seen.insert(ImageKey(image)).inserted {
            index["\(image.ownerId)/\(image.region)", default: []].append(image)
        }
        imagesByOwner = index
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

    public func settings(account: String, region: String) -> RegionSettings? {
        regionSettings["\(account)/\(region)"]
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
