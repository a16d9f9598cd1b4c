import Foundation

/// Where an image lives: AMI ids are regional, and a workload can only launch an image of its
/// own region, so region and id name an image across every account of the organisation.
public struct ImageKey: Sendable, Hashable, Comparable {
    public var region: String
    public var imageId: String
    public init(region: String, imageId: String) { self.region = region; self.imageId = imageId }
    public init(_ image: Image) { self.init(region: image.region, imageId: image.imageId) }
    public static func < (a: Self, b: Self) -> Bool { (a.region, a.imageId) < (b.region, b.imageId) }
}

/// Every workload of the scan and every image they reference, indexed both ways, built before
/// any image is judged: whether an image is used, and by how much, is an organisation-wide
/// question (images are built in one account and launched in many).
///
/// Fail closed: an account×region whose workloads were not read (the region failed, or one of
/// its workload listings did) makes every usage count of its region a lower bound, and an image
/// of that region cannot be proved unused.
public struct WorkloadIndex: Sendable {
    /// Deduplicated, in report order (account, region, kind, resource id, image id).
    public let workloads: [Workload]
    /// Account×regions whose workloads were read in full.
    public let collected: Set<RegionRef>
    /// Account×regions that may hold workloads but whose workloads were not read (`region` is
    /// `*` for an account none of whose regions were read), in report order.
    public let uncollected: [RegionRef]
    private let byImage: [ImageKey: [Int]]
    private let referenced: [String: ReferencedImage]
    private let described: [ImageKey: Image]

    /// The scan errors that mean an account×region's workloads are incomplete: any failure of
    /// a workload listing (their operation names, `service:Action`).
    /// `DescribeInstanceImageMetadata` is not one: it enriches instances already listed, and an
    /// instance whose image it could not describe is judged "cannot verify" on its own.
    public static let workloadOperations: Set<String> = [
        "ec2:DescribeInstances", "ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions",
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeLaunchConfigurations", "ssm:DescribeParameters", "ssm:GetParameters",
    ]

    /// `coverage` and `errors` are the whole scan's: they decide which account×regions'
    /// workloads are complete.
    public init(workloads: [Workload], referencedImages: [ReferencedImage], coverage: [RegionCoverage],
                errors: [ScanError]) {
        let sorted = Array(Set(workloads)).sorted(by: Self.reportOrder)
        self.workloads = sorted
        var byImage: [ImageKey: [Int]] = [:]
        for (i, w) in sorted.enumerated() {
            if let id = w.imageId { byImage[ImageKey(region: w.region, imageId: id), default: []].append(i) }
        }
        self.byImage = byImage
        var referenced: [String: ReferencedImage] = [:]
        var described: [ImageKey: Image] = [:]
        for r in referencedImages {
            referenced[Self.referenceKey(r.accountId, r.region, r.imageId)] = r
            if let image = r.image, described[ImageKey(region: r.region, imageId: r.imageId)] == nil {
                described[ImageKey(region: r.region, imageId: r.imageId)] = image
            }
        }
        self.referenced = referenced
        self.described = described
        let failedListings = Set(errors.lazy.filter { $0.imageId == nil && Self.workloadOperations.contains($0.operation) }
            .compactMap { e in e.region.map { RegionRef(accountId: e.accountId, region: $0) } })
        var collected: Set<RegionRef> = []
        var uncollected: Set<RegionRef> = []
        for c in coverage {
            let ref = RegionRef(accountId: c.accountId, region: c.region)
            switch c.status {
            case .skipped: continue
            case .failed: uncollected.insert(ref)
            case .scanned, .partial:
                if failedListings.contains(ref) { uncollected.insert(ref) } else { collected.insert(ref) }
            }
        }
        self.collected = collected.subtracting(uncollected)
        self.uncollected = uncollected.sorted()
    }

    static func reportOrder(_ a: Workload, _ b: Workload) -> Bool {
        (a.accountId, a.region, a.kind, a.resourceId, a.imageId ?? "") < (b.accountId, b.region, b.kind, b.resourceId, b.imageId ?? "")
    }

    private static func referenceKey(_ account: String, _ region: String, _ image: String) -> String {
        "\(account)/\(region)/\(image)"
    }

    /// Whether every workload of the account×region was read.
    public func isCollected(account: String, region: String) -> Bool {
        collected.contains(RegionRef(accountId: account, region: region))
    }

    /// The account×regions of `region` whose workloads were not read: usage of an image of
    /// that region is only a lower bound while there are any.
    public func uncollected(in region: String) -> [RegionRef] {
        uncollected.filter { $0.region == region || $0.region == "*" }
    }

    /// The workloads that reference the image, from every account.
    public func workloads(using key: ImageKey) -> [Workload] {
        (byImage[key] ?? []).map { workloads[$0] }
    }

    /// `DescribeImages ImageIds=…` as the workload's own account×region saw the image: nil when
    /// the image was not asked about (owned by a scanned account, or not collected).
    public func reference(account: String, region: String, imageId: String) -> ReferencedImage? {
        referenced[Self.referenceKey(account, region, imageId)]
    }

    /// An image described for some workload (shared, Marketplace, Amazon, community), any account's answer.
    public func describedImage(_ key: ImageKey) -> Image? { described[key] }

    /// Every image described for some workload.
    public var describedImages: Dictionary<ImageKey, Image>.Values { described.values }

    public func blastRadius(of key: ImageKey) -> BlastRadius {
        BlastRadius(imageId: key.imageId, workloads: workloads(using: key), uncollected: uncollected(in: key.region))
    }
}

/// How much depends on one image: its blast radius, evidence on every image finding so a
/// reviewer can sort by impact. The counts are `ImageUsage`'s; this adds whether they are
/// complete.
public struct BlastRadius: Sendable {
    public let workloads: [Workload]
    public let usage: ImageUsage
    /// Account×regions of the image's region whose workloads were not read: counts are lower bounds.
    public let uncollected: [RegionRef]

    init(imageId: String, workloads: [Workload], uncollected: [RegionRef]) {
        self.workloads = workloads
        usage = ImageUsage.tally(workloads)[imageId]
            ?? ImageUsage(imageId: imageId, instances: 0, launchTemplates: 0, autoScalingGroups: 0,
                          launchConfigurations: 0, ssmParameters: 0, accounts: [])
        self.uncollected = uncollected
    }

    public var isComplete: Bool { uncollected.isEmpty }
    public var isUsed: Bool { !workloads.isEmpty }

    /// The blast radius as evidence fields: counts per kind and accounts, and whether they are complete.
    public var evidence: [String: String] {
        [
            "usedByInstances": String(usage.instances), "usedByLaunchTemplates": String(usage.launchTemplates),
            "usedByAutoScalingGroups": String(usage.autoScalingGroups),
            "usedByLaunchConfigurations": String(usage.launchConfigurations),
            "usedByParameters": String(usage.ssmParameters), "usedInAccounts": String(usage.accounts.count),
            "usageComplete": isComplete ? "yes"
                : "no: workloads of \(uncollected.map(\.resourceId).joined(separator: ", ")) were not read",
        ]
    }
}

extension Workload.Kind {
    var noun: String {
        switch self {
        case .instance: "instance"
        case .launchTemplate: "launch template version"
        case .autoScalingGroup: "Auto Scaling group"
        case .launchConfiguration: "launch configuration"
        case .ssmParameter: "SSM parameter"
        }
    }
}

extension PolicySet {
    /// Whether a scan for these policies reads workloads, so that their absence means "none".
    public var collectsWorkloads: Bool { needs.contains(.workloads) }
}
