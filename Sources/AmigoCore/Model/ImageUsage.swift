/// How much of the organisation uses one image: an image finding's blast radius, and the
/// evidence that an image is not unused. Counts are distinct resources (an Auto Scaling group
/// reaching the image through two overrides counts once).
public struct ImageUsage: Sendable, Hashable, Codable {
    public var imageId: String
    public var instances: Int
    public var launchTemplates: Int
    public var autoScalingGroups: Int
    public var launchConfigurations: Int
    public var ssmParameters: Int
    /// The accounts whose workloads use the image, sorted.
    public var accounts: [String]

    public init(imageId: String, instances: Int, launchTemplates: Int, autoScalingGroups: Int,
                launchConfigurations: Int, ssmParameters: Int, accounts: [String]) {
        self.imageId = imageId; self.instances = instances; self.launchTemplates = launchTemplates
        self.autoScalingGroups = autoScalingGroups; self.launchConfigurations = launchConfigurations
        self.ssmParameters = ssmParameters; self.accounts = accounts
    }

    /// Every workload that names an image, tallied per image id (the catalogue's
    /// `imageUsage(scan:)` answers the same from SQL, without loading the workloads).
    public static func tally(_ workloads: [Workload]) -> [String: ImageUsage] {
        var resources: [String: Set<ResourceKey>] = [:]
        for workload in workloads {
            guard let image = workload.imageId else { continue }
            resources[image, default: []].insert(ResourceKey(workload))
        }
        return resources.reduce(into: [:]) { usage, entry in
            func count(_ kind: Workload.Kind) -> Int { entry.value.count { $0.kind == kind } }
            usage[entry.key] = ImageUsage(
                imageId: entry.key, instances: count(.instance), launchTemplates: count(.launchTemplate),
                autoScalingGroups: count(.autoScalingGroup), launchConfigurations: count(.launchConfiguration),
                ssmParameters: count(.ssmParameter), accounts: Set(entry.value.map(\.accountId)).sorted())
        }
    }

    private struct ResourceKey: Hashable {
        let accountId, region, resourceId: String
        let kind: Workload.Kind
        init(_ w: Workload) { accountId = w.accountId; region = w.region; resourceId = w.resourceId; kind = w.kind }
    }
}
