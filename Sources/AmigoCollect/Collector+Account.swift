import AmigoAWS
import AmigoCore

extension Collector {
    /// One account: its credentials, its regions, then each region under the global limit.
    ///
    /// With named regions (`--regions`), DescribeRegions and the regions' collections start
    /// together: the listing only decides afterwards whether a region's result is kept,
    /// skipped (not enabled) or an unknown region, which takes one round trip off every
    /// account's critical path. A region the listing rules out is cancelled.
    func collect(account: Account, caller: String, sink: any InventorySink) async {
        let accountCredentials: any CredentialProvider
        if account.id == caller {
            accountCredentials = credentials
        } else {
            let provider = AssumeRoleCredentialProvider(
                client: client, roleArn: roleArn(for: account.id), sessionName: plan.sessionName,
                externalId: plan.externalId, durationSeconds: nil, source: credentials,
                region: plan.homeRegion)
            do {
                _ = try await provider.credentials()
            } catch {
                await accountFailed(account, operation: "sts:AssumeRole", error: error, sink: sink)
                return
            }
            accountCredentials = provider
        }

        let listing = Task { await result { () async throws(AWSError) in try await regions(accountCredentials) } }
        let collector = RegionCollector(client: client, credentials: accountCredentials, plan: plan,
                                        progress: progress, account: account.id)
        let named = plan.regions.map { names in
            var seen: Set<String> = []
            return names.filter { !plan.excludeRegions.contains($0) && seen.insert($0).inserted && AWSIdentifier.isRegion($0) }
        }
        for name in plan.regions ?? [] where !AWSIdentifier.isRegion(name) {
            await record("\(account.id): region \(name)") {
                try await sink.coverage(RegionCoverage(accountId: account.id, region: name, status: .failed,
                                                       reason: "not a region name"),
                                        errors: [AWSIdentifier.invalid("region name", name, account: account.id,
                                                                       operation: "amigo:Regions")])
            }
        }
        if named == nil, case .success(let regions) = await listing.value {
            await recordInvalid(regions, account: account, sink: sink)
            let targets = await recordUnavailable(regions, account: account, sink: sink)
            await plan(targets, account: account, sink: sink)
            let owned = targets.filter { plan.reads(account: account.id, region: $0) }
            progress.regionsFound(owned.count)
            await regionSlots.forEach(owned) { region in
                let stage = sink.imageStage(account: account.id, region: region)
                await deliver(await collector.collect(account: account, region: region, stage: stage), sink: sink)
            }
        } else if let named {
            await plan(named, account: account, sink: sink)
            let owned = named.filter { plan.reads(account: account.id, region: $0) }
            progress.regionsFound(owned.count)
            await regionSlots.forEach(owned) { region in
                let stage = sink.imageStage(account: account.id, region: region)
                let work = Task { await collector.collect(account: account, region: region, stage: stage) }
                guard case .success(let regions) = await listing.value,
                      regions.contains(where: { $0.name == region && $0.isEnabled }) else {
                    work.cancel()
                    _ = await work.value
                    stage.discard()
                    progress.regionDone(images: 0, errors: 0)
                    return
                }
                await deliver(await work.value, sink: sink)
            }
            if case .success(let regions) = await listing.value {
                await recordInvalid(regions, account: account, sink: sink)
                _ = await recordUnavailable(regions, account: account, sink: sink)
            }
        }
        if case .failure(let error) = await listing.value {
            await accountFailed(account, operation: "ec2:DescribeRegions", error: error, sink: sink)
        }
    }

    /// The regions DescribeRegions lists, and apart the names it answered that are no region name.
    struct Listed: Sendable {
        var regions: [RegionInfo]
        var invalid: [String]
        func contains(where predicate: (RegionInfo) -> Bool) -> Bool { regions.contains(where: predicate) }
    }

    static let describeRegions = AWSAction(.ec2, "DescribeRegions")!

    func regions(_ credentials: any CredentialProvider) async throws(AWSError) -> Listed {
        let root = try await client.query(Self.describeRegions, region: plan.homeRegion,
                                          parameters: [("AllRegions", "true")], credentials: credentials)
        let all: [RegionInfo]
        do { all = try EC2Decode.regions(root) } catch {
            throw malformed("ec2", "DescribeRegions", plan.homeRegion, error)
        }
        return Listed(regions: all.filter { AWSIdentifier.isRegion($0.name) },
                      invalid: all.map(\.name).filter { !AWSIdentifier.isRegion($0) })
    }

    /// A region name DescribeRegions answered that is not one is a scan error: it would become
    /// part of an endpoint's host name. `regions(_:)` has already left it out of the listing.
    func recordInvalid(_ regions: Listed, account: Account, sink: any InventorySink) async {
        guard !regions.invalid.isEmpty else { return }
        progress.error()
        await record("\(account.id): region names") {
            try await sink.errors(regions.invalid.map {
                AWSIdentifier.invalid("region name", $0, account: account.id, operation: "ec2:DescribeRegions")
            })
        }
    }

    /// Records the wanted regions that cannot be scanned (not enabled: skipped; not offered:
    /// failed) and returns the enabled ones to scan, sorted.
    func recordUnavailable(_ listed: Listed, account: Account, sink: any InventorySink) async -> [String] {
        var targets: [String] = []
        let regions = listed.regions
        for region in regions.sorted(by: { $0.name < $1.name }) {
            if let wanted = plan.regions, !wanted.contains(region.name) { continue }
            if plan.excludeRegions.contains(region.name) { continue }
            if region.isEnabled {
                targets.append(region.name)
            } else {
                await record("\(account.id)/\(region.name): skipped") {
                    try await sink.coverage(RegionCoverage(accountId: account.id, region: region.name,
                                                           status: .skipped,
                                                           reason: "region \(region.optInStatus ?? "not enabled")"),
                                            errors: [])
                }
            }
        }
        for name in plan.regions ?? [] where AWSIdentifier.isRegion(name) && !regions.contains(where: { $0.name == name })
            && !plan.excludeRegions.contains(name) {
            let error = ScanError(accountId: account.id, region: name, operation: "ec2:DescribeRegions",
                                  code: "UnknownRegion", message: "region \(name) is not offered to this account")
            await record("\(account.id)/\(name): unknown region") {
                try await sink.coverage(RegionCoverage(accountId: account.id, region: name, status: .failed,
                                                       reason: "unknown region"), errors: [error])
            }
        }
        return targets
    }

    func plan(_ regions: [String], account: Account, sink: any InventorySink) async {
        do {
            try await sink.plan(account: account.id, regions: regions)
        } catch {
            undelivered.record("the plan of account \(account.id): \(error)")
        }
    }

    func deliver(_ batch: RegionBatch, sink: any InventorySink) async {
        do {
            try await sink.region(batch)
        } catch {
            logger.error("could not record \(batch.accountId)/\(batch.region): \(error)")
            undelivered.record("\(batch.accountId)/\(batch.region): \(error)")
        }
        progress.regionDone(images: batch.imageCount, errors: batch.errors.count)
    }
}
