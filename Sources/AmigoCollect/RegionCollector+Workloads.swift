import AmigoAWS
import AmigoCore

/// What runs or would launch images in one account×region, each listing asked for only when
/// an enabled check needs it. A listing that fails is a scan error and its workloads are
/// missing (the region `partial`), never an empty list passed off as complete.
struct WorkloadListings: Sendable {
    var workloads: [Workload] = []
    var errors: [ScanError] = []
    /// nil: not listed; false: the listing is incomplete (a usage count from it is unknown).
    var instancesComplete: Bool?
    var templatesComplete: Bool?

    /// How many of these workloads of `kind` use each image, and the count of an image none
    /// of them uses: 0 from a complete listing, unknown (nil) from one cut short, since the
    /// image may be used on a page never read. nil when that listing was not made.
    func usage(_ kind: Workload.Kind) -> (counts: [String: Int], unused: Int?)? {
        guard let complete = kind == .instance ? instancesComplete : templatesComplete else { return nil }
        var counts: [String: Int] = [:]
        for workload in workloads where workload.kind == kind {
            if let image = workload.imageId { counts[image, default: 0] += 1 }
        }
        return (counts, complete ? 0 : nil)
    }
}

extension RegionCollector {
    static let describeInstanceImageMetadata = AWSAction(.ec2, "DescribeInstanceImageMetadata")!
    static let describeAutoScalingGroups = AWSAction(.autoscaling, "DescribeAutoScalingGroups")!
    static let describeLaunchConfigurations = AWSAction(.autoscaling, "DescribeLaunchConfigurations")!
    static let describeParameters = AWSAction(.ssm, "DescribeParameters")!
    static let getParameters = AWSAction(.ssm, "GetParameters")!
    static let workloadActions = [describeInstances, describeLaunchTemplateVersions, describeAutoScalingGroups,
                                  describeLaunchConfigurations, describeParameters, getParameters]
    /// `GetParameters` takes at most 10 names.
    static let parameterBatch = 10

    /// nil when no enabled check needs any workload.
    func optionalWorkloads(region: String) async -> WorkloadListings? {
        let wantsInstances = plan.calls(Self.describeInstances)
        let wantsTemplates = plan.calls(Self.describeLaunchTemplateVersions)
        guard wantsInstances || wantsTemplates || plan.calls(Self.describeParameters) else { return nil }
        async let instances = wantsInstances ? instanceWorkloads(region: region) : nil
        async let metadata = plan.calls(Self.describeInstanceImageMetadata) ? instanceMetadata(region: region) : nil
        async let templates = wantsTemplates ? templateVersions(region: region) : nil
        async let groups = plan.calls(Self.describeAutoScalingGroups) ? autoScalingGroups(region: region) : nil
        async let configurations = plan.calls(Self.describeLaunchConfigurations) ? launchConfigurations(region: region) : nil
        async let parameters = plan.calls(Self.describeParameters) ? imageParameters(region: region) : nil

        var out = WorkloadListings()
        if let listing = await instances {
            var found = listing.value
            if let (byInstance, errors) = await metadata {
                out.errors += errors
                for index in found.indices { found[index].imageMetadata = byInstance[found[index].resourceId] }
            }
            out.workloads += found
            out.errors += listing.errors
            out.instancesComplete = listing.isComplete
        }
        var versions: [LaunchTemplateVersion] = []
        if let listing = await templates {
            versions = listing.value
            out.workloads += Self.templateWorkloads(versions, account: account, region: region)
            out.errors += listing.errors
            out.templatesComplete = listing.isComplete
        }
        var configurationWorkloads: [Workload] = []
        if let listing = await configurations {
            configurationWorkloads = listing.value
            out.errors += listing.errors
        }
        if let listing = await groups {
            out.errors += listing.errors
            let (resolved, errors) = await groupWorkloads(listing.value, versions: versions,
                                                          configurations: configurationWorkloads, region: region)
            out.workloads += resolved
            out.errors += errors
        }
        out.workloads += configurationWorkloads
        if let listing = await parameters {
            out.workloads += listing.value
            out.errors += listing.errors
        }
        return out
    }

    /// A listing whose first page fails is a scan error with nothing from it.
    private func listed<T: Sendable>(_ region: String, _ action: AWSAction, _ base: [(String, String)],
                                     _ decode: @escaping (XMLNode) throws -> WorkloadPage<T>) async -> Listing<[T]> {
        do {
            let listing = try await list(region, action, base, into: ([T](), [ScanError]())) { found, root in
                let page = try decode(root)
                found.0 += page.items
                found.1 += page.problems.map { problem(action, $0, region: region) }
                return page.nextToken
            }
            return Listing(value: listing.value.0, errors: listing.value.1 + listing.errors)
        } catch {
            return Listing(value: [], errors: [scanError(account: account, region: region, operation: action.iamName, error)])
        }
    }

    func problem(_ action: AWSAction, _ error: DecodeError, region: String) -> ScanError {
        ScanError(accountId: account, region: region, operation: action.iamName, code: "UndecodableWorkload",
                  message: error.message)
    }

    func instanceWorkloads(region: String) async -> Listing<[Workload]> {
        let listing = await listed(region, Self.describeInstances, [("MaxResults", "1000")]) {
            try EC2Decode.instances($0, account: account, region: region)
        }
        // A page repeated by a broken listing must not list an instance twice.
        var seen: Set<String> = []
        return Listing(value: listing.value.filter { seen.insert($0.resourceId).inserted }, errors: listing.errors)
    }

    func instanceMetadata(region: String) async -> ([String: ImageMetadata], [ScanError]) {
        let listing = await listed(region, Self.describeInstanceImageMetadata, [("MaxResults", "1000")],
                                   EC2Decode.instanceImageMetadata)
        return (Dictionary(listing.value.map { ($0.instanceId, $0.metadata) }) { first, _ in first }, listing.errors)
    }

    /// The default and latest version of every launch template (one listing, no template ids),
    /// with SSM parameter aliases resolved to the AMI they name.
    func templateVersions(region: String) async -> Listing<[LaunchTemplateVersion]> {
        await listed(region, Self.describeLaunchTemplateVersions,
                     [("LaunchTemplateVersion.1", "$Latest"), ("LaunchTemplateVersion.2", "$Default"),
                      ("MaxResults", "200"), ("ResolveAlias", "true")], EC2Decode.launchTemplateVersions)
    }

    /// One workload per distinct template version that names an image (a version that is both
    /// default and latest is one).
    static func templateWorkloads(_ versions: [LaunchTemplateVersion], account: String, region: String) -> [Workload] {
        var seen: Set<String> = []
        return versions.compactMap { v in
            let id = "\(v.templateId):\(v.versionNumber)"
            guard v.imageId != nil || v.unresolvedAlias != nil, seen.insert(id).inserted else { return nil }
            return Workload(accountId: account, region: region, kind: .launchTemplate, resourceId: id,
                            name: v.templateName, state: nil, launchTime: v.created, tags: [], imageId: v.imageId,
                            via: v.unresolvedAlias.map { "unresolved \(UntrustedText.quoted($0))" }, imageMetadata: nil)
        }
    }

    func launchConfigurations(region: String) async -> Listing<[Workload]> {
        await listed(region, Self.describeLaunchConfigurations, [("MaxRecords", "100")]) {
            try AutoScalingDecode.launchConfigurations($0, account: account, region: region)
        }
    }

    func autoScalingGroups(region: String) async -> Listing<[AutoScalingGroupRecord]> {
        await listed(region, Self.describeAutoScalingGroups, [("MaxRecords", "100")], AutoScalingDecode.groups)
    }

    /// `DescribeParameters` filtered to `aws:ec2:image`, then `GetParameters` 10 names at a time.
    func imageParameters(region: String) async -> Listing<[Workload]> {
        let operation = Self.describeParameters.iamName
        var names: [String] = []
        var errors: [ScanError] = []
        var pages = 0
        let filter: [String: any Sendable] = ["Key": "DataType", "Option": "Equals", "Values": [SSMDecode.imageDataType]]
        do {
            let stop = try await plan.paginator(operation).walk { token in
                var body: [String: any Sendable] = ["ParameterFilters": [filter], "MaxResults": 50]
                if let token { body["NextToken"] = token }
                let page = try SSMDecode.imageParameterNames(
                    try await client.json(Self.describeParameters, region: region, body: body, credentials: credentials))
                names += page.items
                errors += page.problems.map { problem(Self.describeParameters, $0, region: region) }
                pages += 1
                return page.nextToken
            }
            if let stop { errors.append(stop.scanError(account: account, region: region)) }
        } catch {
            errors.append(scanError(account: account, region: region, operation: operation, error))
            if pages == 0 { return Listing(value: [], errors: errors) }
        }
        var unique: Set<String> = []
        names = names.filter { unique.insert($0).inserted }
        let batches = stride(from: 0, to: names.count, by: Self.parameterBatch).map {
            Array(names[$0..<min($0 + Self.parameterBatch, names.count)])
        }
        let limiter = AsyncLimiter(limit: plan.requestConcurrency)
        let answers = await limiter.map(batches) { batch in
            await attempt {
                try SSMDecode.imageParameters(
                    try await client.json(Self.getParameters, region: region, body: ["Names": batch], credentials: credentials),
                    account: account, region: region)
            }
        }
        var workloads: [Workload] = []
        for answer in answers {
            switch answer {
            case .success(let page):
                workloads += page.items
                errors += page.problems.map { problem(Self.getParameters, $0, region: region) }
            case .failure(let error):
                errors.append(scanError(account: account, region: region, operation: Self.getParameters.iamName, error))
            }
        }
        return Listing(value: workloads, errors: errors)
    }
}
