import AmigoAWS
import AmigoCore

/// What an account×region holds besides its images and workloads: snapshots and their
/// permissions, the region's guardrail settings. Each is asked for only when an enabled check
/// needs it (nil otherwise).
extension RegionCollector {
    static let describeSnapshots = AWSAction(.ec2, "DescribeSnapshots")!
    static let describeSnapshotAttribute = AWSAction(.ec2, "DescribeSnapshotAttribute")!
    static let getEbsEncryptionByDefault = AWSAction(.ec2, "GetEbsEncryptionByDefault")!
    static let getImageBlockPublicAccessState = AWSAction(.ec2, "GetImageBlockPublicAccessState")!
    static let getSnapshotBlockPublicAccessState = AWSAction(.ec2, "GetSnapshotBlockPublicAccessState")!
    static let getAllowedImagesSettings = AWSAction(.ec2, "GetAllowedImagesSettings")!
    static let describeInstances = AWSAction(.ec2, "DescribeInstances")!
    static let describeLaunchTemplateVersions = AWSAction(.ec2, "DescribeLaunchTemplateVersions")!
    static let regionSettingsActions = [getEbsEncryptionByDefault, getImageBlockPublicAccessState,
                                        getSnapshotBlockPublicAccessState, getAllowedImagesSettings]

    func optionalSnapshots(region: String) async -> Result<Listing<[Snapshot]>, any Error>? {
        guard plan.calls(Self.describeSnapshots) else { return nil }
        do { return .success(try await ownedSnapshots(region: region)) } catch { return .failure(error) }
    }

    func optionalRegionSettings(region: String) async -> (RegionSettings, [ScanError])? {
        guard plan.calls(Self.getEbsEncryptionByDefault) else { return nil }
        let (settings, failures) = await regionSettings(region: region)
        return (settings, failures.map { scanError(account: account, region: region, operation: $0.0, $0.1) })
    }

    /// Every snapshot the account owns in the region; the caller keeps those its images use.
    func ownedSnapshots(region: String) async throws -> Listing<[Snapshot]> {
        var seen: Set<String> = []
        return try await list(region, Self.describeSnapshots, [("OwnerId.1", "self"), ("MaxResults", "1000")],
                              into: [Snapshot]()) { snapshots, root in
            let page = try EC2Decode.snapshots(root, account: account, region: region)
            snapshots += page.snapshots.filter { $0.ownerId == account && seen.insert($0.snapshotId).inserted }
            return page.nextToken
        }
    }

    func addVolumePermissions(to snapshots: inout [Snapshot], region: String) async -> [ScanError] {
        let limiter = AsyncLimiter(limit: plan.requestConcurrency)
        let perSnapshot = client.withRetryBudget(for: snapshots.count)
        let answers = await limiter.map(snapshots.map(\.snapshotId)) { id in
            await self.createVolumePermissions(snapshot: id, region: region, client: perSnapshot)
        }
        var errors: [ScanError] = []
        for (index, answer) in answers.enumerated() {
            switch answer {
            case .success(let permissions): snapshots[index].createVolumePermissions = permissions
            case .failure(let error):
                errors.append(scanError(account: account, region: region,
                                        operation: "ec2:DescribeSnapshotAttribute", error))
            }
        }
        return errors
    }

    func createVolumePermissions(snapshot: String, region: String, client: AWSClient) async -> Result<[LaunchPermission], any Error> {
        await permissions(region, client, Self.describeSnapshotAttribute,
                          [("SnapshotId", snapshot), ("Attribute", "createVolumePermission")], EC2Decode.createVolumePermissions)
    }

    /// One per-resource attribute call (image launch or snapshot volume permissions).
    func permissions(_ region: String, _ client: AWSClient, _ action: AWSAction, _ parameters: [(String, String)],
                     _ decode: (XMLNode) throws -> [LaunchPermission]) async -> Result<[LaunchPermission], any Error> {
        await attempt {
            try decode(try await client.query(action, region: region, parameters: parameters,
                                              credentials: credentials))
        }
    }

    /// The region's guardrails, asked for all at once; each failure is kept with its operation.
    func regionSettings(region: String) async -> (RegionSettings, [(String, any Error)]) {
        async let ebs = attempt { try EC2Decode.ebsEncryptionByDefault(await ec2(region, Self.getEbsEncryptionByDefault, [])) }
        async let image = attempt { try EC2Decode.imageBlockPublicAccessState(await ec2(region, Self.getImageBlockPublicAccessState, [])) }
        async let snapshot = attempt { try EC2Decode.snapshotBlockPublicAccessState(await ec2(region, Self.getSnapshotBlockPublicAccessState, [])) }
        async let allowed = attempt { try EC2Decode.allowedImagesSettings(await ec2(region, Self.getAllowedImagesSettings, [])) }
        var settings = RegionSettings(accountId: account, region: region)
        var failures: [(String, any Error)] = []
        func keep<T>(_ answer: Result<T, any Error>, _ operation: String, _ field: WritableKeyPath<RegionSettings, T?>) {
            switch answer {
            case .success(let value): settings[keyPath: field] = value
            case .failure(let error): failures.append((operation, error))
            }
        }
        keep(await ebs, "ec2:GetEbsEncryptionByDefault", \.ebsEncryptionByDefault)
        keep(await image, "ec2:GetImageBlockPublicAccessState", \.imageBlockPublicAccess)
        keep(await snapshot, "ec2:GetSnapshotBlockPublicAccessState", \.snapshotBlockPublicAccess)
        switch await allowed {
        case .success(let answer):
            settings.allowedImagesState = answer.state
            settings.allowedImageCriteria = answer.criteria
            settings.allowedImagesManagedBy = answer.managedBy
        case .failure(let error): failures.append(("ec2:GetAllowedImagesSettings", error))
        }
        return (settings, failures)
    }
}

func attempt<T: Sendable>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
