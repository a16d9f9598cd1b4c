import AmigoAWS
import AmigoCore
import Foundation

/// Collects one account×region: the images, then only the per-image and per-region data the
/// enabled checks need. Every failed call becomes a scan error; a failed DescribeImages fails
/// the region (nothing in it can be judged), a failed per-image call leaves that field nil.
///
/// Calls that do not depend on each other run at once: region settings, workload listings and
/// snapshot pages alongside the images, and each image page's launch permission calls while
/// the next page is fetched. How fast they go is the pacer's business (`PacedTransport`).
struct RegionCollector: Sendable {
    let client: AWSClient
    let credentials: any CredentialProvider
    let plan: CollectionPlan
    let progress: Progress
    let account: String

    func collect(account: Account, region: String, stage: any ImageStage) async -> RegionBatch {
        async let settingsAnswer = optionalRegionSettings(region: region)
        async let workloadsAnswer = optionalWorkloads(region: region)
        async let snapshotAnswer = optionalSnapshots(region: region)

        var errors: [ScanError] = []
        let listed: ListedImages
        do {
            (listed, errors) = try await imagesWithPermissions(region: region, stage: stage)
        } catch {
            stage.discard()
            progress.error()
            // The workloads listed are kept: what runs does not depend on the images listing.
            let listings = await workloadsAnswer
            return RegionBatch(accountId: account.id, region: region, images: [], snapshots: [], settings: nil,
                                workloads: listings?.workloads ?? [],
                                coverage: RegionCoverage(accountId: account.id, region: region, status: .failed,
                                                         reason: AWSError.isDenial(error) ? "denied by policy: ec2:DescribeImages"
                                                                                          : "ec2:DescribeImages failed"),
                                errors: [scanError(account: account.id, region: region,
                                                   operation: "ec2:DescribeImages", error)] + (listings?.errors ?? []))
        }

        var snapshots: [Snapshot] = []
        switch await snapshotAnswer {
        case .none: break
        case .success(let owned)?:
            errors += owned.errors
            snapshots = owned.value.filter { listed.snapshotIds.contains($0.snapshotId) }.sorted { $0.snapshotId < $1.snapshotId }
            if plan.calls(Self.describeSnapshotAttribute) {
                errors += await addVolumePermissions(to: &snapshots, region: region)
            }
        case .failure(let error)?:
            errors.append(scanError(account: account.id, region: region, operation: "ec2:DescribeSnapshots", error))
        }

        let (settings, settingsErrors) = await settingsAnswer ?? (nil, [])
        errors += settingsErrors

        var workloads: [Workload] = []
        var referenced: [ReferencedImage] = []
        let listings = await workloadsAnswer
        if let listings {
            errors += listings.errors
            workloads = listings.workloads
            if plan.needs.contains(.referencedImages) {
                // Owned images that did not decode are owned all the same: not asked for again.
                let owned = Set(listed.images.map(\.imageId)).union(errors.compactMap(\.imageId))
                let ids = Set(workloads.compactMap(\.imageId)).subtracting(owned).sorted()
                let (found, referenceErrors) = await referencedImages(ids, region: region)
                referenced = found
                errors += referenceErrors
            }
        }
        var lastLaunched: [String: Date] = [:]
        if plan.needs.contains(.lastLaunchedTime) {
            let unknown = listed.images.filter { !$0.knowsLastLaunch }.map(\.imageId)
            let (times, timeErrors) = await lastLaunchedTimes(of: unknown, region: region)
            lastLaunched = times
            errors += timeErrors
        }

        let followUps = followUps(of: listed, listings: listings, lastLaunched: lastLaunched)
        let (images, staged) = stage.seal(followUps)
        for _ in errors { progress.error() }
        progress.imagesFound(listed.images.count)
        let status: RegionCoverage.Status = errors.isEmpty ? .scanned : .partial
        return RegionBatch(accountId: account.id, region: region, images: images, staged: staged, snapshots: snapshots,
                            settings: settings, workloads: workloads, referencedImages: referenced,
                            coverage: RegionCoverage(accountId: account.id, region: region, status: status,
                                                     reason: errors.isEmpty ? nil : "\(errors.count) scan error(s)",
                                                     imageCount: listed.images.count),
                            errors: errors)
    }

    /// Each listed image's follow-up, stored sparsely: what the region's images have in common
    /// (granted to no one, used by nothing) and each image that differs.
    func followUps(of listed: ListedImages, listings: WorkloadListings?, lastLaunched: [String: Date]) -> ImageFollowUps {
        let instances = listings?.usage(.instance)
        let templates = listings?.usage(.launchTemplate)
        let common = ImageFollowUp(launchPermissions: plan.calls(Self.describeImageAttribute) ? [] : nil,
                                   instanceCount: instances?.unused, launchTemplateCount: templates?.unused,
                                   lastLaunchedTime: nil)
        var exceptions: [Int: ImageFollowUp] = [:]
        for (position, image) in listed.images.enumerated() {
            let own = ImageFollowUp(launchPermissions: listed.permissions[image.imageId],
                                    instanceCount: instances.flatMap { $0.counts[image.imageId] ?? $0.unused },
                                    launchTemplateCount: templates.flatMap { $0.counts[image.imageId] ?? $0.unused },
                                    lastLaunchedTime: lastLaunched[image.imageId])
            if own != common { exceptions[position] = own }
        }
        return ImageFollowUps(count: listed.images.count, common: common, exceptions: exceptions)
    }

    static let describeImages = AWSAction(.ec2, "DescribeImages")!
    static let describeImageAttribute = AWSAction(.ec2, "DescribeImageAttribute")!

    func ec2(_ region: String, _ action: AWSAction, _ parameters: [(String, String)]) async throws(AWSError) -> XMLNode {
        try await client.query(action, region: region, parameters: parameters, credentials: credentials)
    }

    /// Every page of DescribeImages, each page put in `stage` as soon as it is decoded; each
    /// page's launch permission calls start as soon as the page is in, under the
    /// account×region's request limit, while the next page is asked for. An image that does not
    /// decode is a scan error naming it; the rest of its page is kept. Throws only when the
    /// first page cannot be read.
    func imagesWithPermissions(region: String, stage: any ImageStage) async throws -> (ListedImages, [ScanError]) {
        let limiter = AsyncLimiter(limit: plan.requestConcurrency)
        let wantPermissions = plan.calls(Self.describeImageAttribute)
        return try await withThrowingTaskGroup(of: ([String], [Result<[LaunchPermission], any Error>]).self) { group in
            let base = [("Owner.1", "self"), ("MaxResults", "1000"), ("IncludeDeprecated", "true"), ("IncludeDisabled", "true")]
            var seen: Set<String> = []
            let listing = try await list(region, Self.describeImages, base, openingPages: CollectionPlan.openingImagePages,
                                         into: (ListedImages(), [ScanError]())) { found, root in
                // The attribute calls need only the ids, so they leave before the page is
                // decoded: decoding a page costs more than parsing it, and every account×region
                // finishes (n − burst) / rate seconds after its first attribute call, not before.
                if wantPermissions {
                    let ids = EC2Decode.imageIds(root, ownedBy: account)
                    if !ids.isEmpty {
                        let perImage = client.withRetryBudget(for: ids.count)
                        group.addTask {
                            (ids, await limiter.map(ids) {
                                await self.launchPermissions(image: $0, region: region, client: perImage)
                            })
                        }
                        // Let the calls just started leave first: when every account×region's
                        // first page comes in at once, the pool's few threads would otherwise
                        // decode all the pages before any region's calls are sent.
                        await Task.yield()
                    }
                }
                let page = try EC2Decode.images(root, account: account, region: region)
                // An image owned by another account cannot be here with Owner=self; moto
                // ignores the filter for some images, so enforce it. A page repeated by a
                // broken listing must not list an image twice (the catalogue would refuse the region).
                let kept = page.images.filter { $0.ownerId == account && seen.insert($0.imageId).inserted }
                stage.add(kept)
                found.0.append(kept)
                found.1 += page.undecodable.filter { ($0.ownerId ?? account) == account && seen.insert($0.imageId ?? "").inserted }
                    .map { undecodableError($0, region: region) }
                return page.nextToken
            }
            stage.listed()
            var (listed, errors) = listing.value
            errors += listing.errors

            var permissions: [String: Result<[LaunchPermission], any Error>] = [:]
            for try await (ids, answers) in group {
                for (id, answer) in zip(ids, answers) { permissions[id] = answer }
            }
            for image in listed.images {
                switch permissions[image.imageId] {
                case .success(let granted)?: listed.permissions[image.imageId] = granted
                case .failure(let error)?:
                    errors.append(scanError(account: account, region: region,
                                            operation: "ec2:DescribeImageAttribute", error))
                case nil: break
                }
            }
            return (listed, errors)
        }
    }

    /// Pages through an EC2 listing with the one `Paginator`: `add` folds a page into the value
    /// and returns its next token. A later page that fails, or a listing that has to be stopped,
    /// is a scan error and the pages before it are kept; only a first page that fails throws.
    /// `openingPages`: the `MaxResults` of the first pages, in order (later pages ask for what
    /// `base` says). The first page is small enough not to wait for a page slot.
    func list<Value: Sendable>(_ region: String, _ action: AWSAction, _ base: [(String, String)],
                               openingPages: [Int] = [], into initial: Value,
                               _ add: (inout Value, XMLNode) async throws -> String?) async throws -> Listing<Value> {
        var value = initial
        var errors: [ScanError] = []
        var pages = 0
        let operation = action.iamName
        do {
            let stop = try await plan.paginator(operation).walk { token in
                var parameters = base
                if let token { parameters.append(("NextToken", token)) }
                if pages < openingPages.count {
                    parameters.removeAll { $0.0 == "MaxResults" }
                    parameters.append(("MaxResults", String(openingPages[pages])))
                }
                let next = token == nil && !openingPages.isEmpty
                    ? try await add(&value, try await ec2(region, action, parameters))
                    : try await plan.pageSlots.holding { try await add(&value, try await ec2(region, action, parameters)) }
                pages += 1
                return next
            }
            if let stop { errors.append(stop.scanError(account: account, region: region)) }
        } catch where pages > 0 {
            errors.append(scanError(account: account, region: region, operation: operation, error))
        }
        return Listing(value: value, errors: errors)
    }

    func undecodableError(_ image: UndecodableImage, region: String) -> ScanError {
        ScanError(accountId: account, region: region, operation: "ec2:DescribeImages",
                  code: "UndecodableImage", message: image.error.message, imageId: image.imageId)
    }

    func launchPermissions(image: String, region: String, client: AWSClient) async -> Result<[LaunchPermission], any Error> {
        await permissions(region, client, Self.describeImageAttribute,
                          [("ImageId", image), ("Attribute", "launchPermission")], EC2Decode.launchPermissions)
    }
}

/// What the collector keeps of an account×region's images once their pages are staged: enough
/// to ask the per-image calls and to pick the snapshots they use.
struct ListedImages: Sendable {
    struct Entry: Sendable {
        let imageId: String
        /// DescribeImages carried its last launch time: no attribute call is needed.
        let knowsLastLaunch: Bool
    }
    var images: [Entry] = []
    var snapshotIds: Set<String> = []
    /// The launch permissions answered, by image id.
    var permissions: [String: [LaunchPermission]] = [:]

    mutating func append(_ page: [Image]) {
        for image in page {
            images.append(Entry(imageId: image.imageId, knowsLastLaunch: image.lastLaunchedTime != nil))
            for device in image.blockDevices { if let id = device.snapshotId { snapshotIds.insert(id) } }
        }
    }
}

/// What a listing gathered, and the scan errors of the pages it could not finish.
struct Listing<Value: Sendable>: Sendable {
    var value: Value
    var errors: [ScanError]
    var isComplete: Bool { errors.isEmpty }
}

extension AWSError {
    /// AccessDenied / UnauthorizedOperation: a policy (an SCP, an IAM policy) said no.
    static func isDenial(_ error: any Error) -> Bool {
        guard let aws = error as? AWSError else { return false }
        return aws.code == "UnauthorizedOperation" || aws.code.hasPrefix("AccessDenied")
    }
}

func scanError(account: String, region: String?, operation: String, _ error: any Error) -> ScanError {
    if let aws = error as? AWSError {
        // An SCP (or IAM) that denies a region is not an outage: say so, so the fix is clear.
        let message = AWSError.isDenial(aws) ? "denied by policy: \(aws.message)" : aws.message
        return ScanError(accountId: account, region: region, operation: operation, code: aws.code, message: message)
    }
    return ScanError(accountId: account, region: region, operation: operation, code: "MalformedResponse",
                     message: String(describing: error))
}

extension AWSClient {
    /// This client with a retry budget of its own for `calls` per-item calls (one per image
    /// or snapshot): retries scale with the work, so a scan of any size rides out a steady
    /// rate of transient faults, while a region that is down spends at most its own budget,
    /// never the whole scan's.
    func withRetryBudget(for calls: Int) -> AWSClient {
        AWSClient(transport: transport, endpoints: endpoints,
                  retry: retry.withBudget(RetryBudget(tokens: max(20, calls))),
                  stats: stats, logger: logger, now: now)
    }
}
