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
            return names.filter { !plan.excludeRegions.contains($0) && seen.insert($0).inserted }
        }
        if named == nil, case .success(let regions) = await listing.value {
            let targets = await recordUnavailable(regions, account: account, sink: sink)
            await plan(targets, account: account, sink: sink)
            progress.regionsFound(targets.count)
            await regionSlots.forEach(targets) { region in
                await deliver(await collector.collect(account: account, region: region), sink: sink)
            }
        } else if let named {
            await plan(named, account: account, sink: sink)
            progress.regionsFound(named.count)
            await regionSlots.forEach(named) { region in
                let work = Task { await collector.collect(account: account, region: region) }
                guard case .success(let regions) = await listing.value,
                      regions.contains(where: { $0.name == region && $0.isEnabled }) else {
                    work.cancel()
                    _ = await work.value
                    progress.regionDone(images: 0, errors: 0)
                    return
                }
                await deliver(await work.value, sink: sink)
            }
            if case .success(let regions) = await listing.value {
                _ = await recordUnavailable(regions, account: account, sink: sink)
            }
        }
        if case .failure(let error) = await listing.value {
            await accountFailed(account, operation: "ec2:DescribeRegions", error: error, sink: sink)
        }
    }

    func regions(_ credentials: any CredentialProvider) async throws(AWSError) -> [RegionInfo] {
        let root = try await client.query(.ec2, region: plan.homeRegion, action: "DescribeRegions",
                                          parameters: [("AllRegions", "true")], credentials: credentials)
        do { return try EC2Decode.regions(root) } catch {
            throw malformed("ec2", "DescribeRegions", plan.homeRegion, error)
        }
    }

    /// Records the wanted regions that cannot be scanned (not enabled: skipped; not offered:
    /// failed) and returns the enabled ones to scan, sorted.
    func recordUnavailable(_ regions: [RegionInfo], account: Account, sink: any InventorySink) async -> [String] {
        var targets: [String] = []
        for region in regions.sorted(by: { $0.name < $1.name }) {
            if let wanted = plan.regions, !wanted.contains(region.name) { continue }
            if plan.excludeRegions.contains(region.name) { continue }
            if region.isEnabled {
                targets.append(region.name)
            } else {
                try? await sink.coverage(RegionCoverage(accountId: account.id, region: region.name,
                                                        status: .skipped,
                                                        reason: "region \(region.optInStatus ?? "not enabled")"),
                                         errors: [])
            }
        }
        for name in plan.regions ?? [] where !regions.contains(where: { $0.name == name })
            && !plan.excludeRegions.contains(name) {
            let error = ScanError(accountId: account.id, region: name, operation: "ec2:DescribeRegions",
                                  code: "UnknownRegion", message: "region \(name) is not offered to this account")
            try? await sink.coverage(RegionCoverage(accountId: account.id, region: name, status: .failed,
                                                    reason: "unknown region"), errors: [error])
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
        progress.regionDone(images: batch.images.count, errors: batch.errors.count)
    }
}
