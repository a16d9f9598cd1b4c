import AmigoAWS
import AmigoCore

/// The AWS actions a plan sends, from the values the collectors send them with: the one
/// answer to "which calls will this scan make", read both by the collectors (each optional
/// call asks `calls` first) and by `amigo permissions`, so the printed IAM policy cannot
/// drift from the wire.
extension CollectionPlan {
    public var actions: Set<AWSAction> {
        // Every scan: who am I, which regions, which images.
        var actions: Set<AWSAction> = [Collector.getCallerIdentity, Collector.describeRegions,
                                       RegionCollector.describeImages]
        for need in needs { actions.formUnion(need.actions) }
        switch accounts {
        case .caller:
            break
        case .list:
            actions.insert(AssumeRoleCredentialProvider.action)
        case .organization:
            actions.formUnion([OrganizationDirectory.describeOrganization, OrganizationDirectory.listAccounts,
                               AssumeRoleCredentialProvider.action])
            if !organizationalUnits.isEmpty {
                actions.formUnion([OrganizationDirectory.listAccountsForParent,
                                   OrganizationDirectory.listOrganizationalUnitsForParent])
            }
        }
        return actions
    }

    /// Whether this plan sends `action` (where there is something to send it for).
    public func calls(_ action: AWSAction) -> Bool { actions.contains(action) }

    /// `actions` as IAM action names, sorted.
    public var iamActions: [String] { actions.sorted().map(\.iamName) }
}

extension DataNeed {
    /// The calls reading this data adds to those every scan makes. The organisation is read
    /// when the scan covers one (`--org`), not because a check would like to know it.
    public var actions: [AWSAction] {
        switch self {
        case .images: []
        case .launchPermissions: [RegionCollector.describeImageAttribute]
        case .snapshots: [RegionCollector.describeSnapshots]
        case .snapshotPermissions: [RegionCollector.describeSnapshots, RegionCollector.describeSnapshotAttribute]
        case .regionSettings: RegionCollector.regionSettingsActions
        case .usage: [RegionCollector.describeInstances, RegionCollector.describeLaunchTemplateVersions]
        case .organization: []
        case .workloads: RegionCollector.workloadActions
        // DescribeImages is in every scan; referenced images are those of every workload.
        case .referencedImages: RegionCollector.workloadActions
        case .instanceImageMetadata: [RegionCollector.describeInstances, RegionCollector.describeInstanceImageMetadata]
        case .lastLaunchedTime: [RegionCollector.describeImageAttribute]
        }
    }
}
