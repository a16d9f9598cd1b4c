import AmigoAWS
import AmigoCore

/// Collects one account×region: the images, then only the per-image and per-region data the
/// enabled checks need. Every failed call becomes a scan error; a failed DescribeImages fails
/// the region (nothing in it can be judged), a failed per-image call leaves that field nil.
struct RegionCollector: Sendable {
    let client: AWSClient
    let credentials: any CredentialProvider
    let plan: CollectionPlan
    let progress: Progress
    let pacer: RequestPacer
    let account: String

    func collect(account: Account, region: String) async -> RegionResult {
        var errors: [ScanError] = []
        func record(_ operation: String, _ error: any Error) {
            errors.append(scanError(account: account.id, region: region, operation: operation, error))
            progress.error()
        }

        var images: [Image]
        do {
            images = try await describeImages(account: account.id, region: region)
        } catch {
            record("ec2:DescribeImages", error)
            return RegionResult(account: account, region: region, images: [], snapshots: [], settings: nil,
                                coverage: RegionCoverage(accountId: account.id, region: region, status: .failed,
                                                         reason: "ec2:DescribeImages failed"),
                                errors: errors)
        }

        if plan.needs.contains(.launchPermissions) {
            let limiter = AsyncLimiter(limit: plan.requestConcurrency)
            let answers = await limiter.map(images.map(\.imageId)) { id in
                await self.launchPermissions(image: id, region: region)
            }
            for (index, answer) in answers.enumerated() {
                switch answer {
                case .success(let permissions): images[index].launchPermissions = permissions
                case .failure(let error): record("ec2:DescribeImageAttribute", error)
                }
            }
        }

        var snapshots: [Snapshot] = []
        if plan.needs.contains(.snapshots) || plan.needs.contains(.snapshotPermissions) {
            do {
                snapshots = try await describeSnapshots(for: images, account: account.id, region: region)
            } catch { record("ec2:DescribeSnapshots", error) }
            if plan.needs.contains(.snapshotPermissions) {
                let limiter = AsyncLimiter(limit: plan.requestConcurrency)
                let answers = await limiter.map(snapshots.map(\.snapshotId)) { id in
                    await self.createVolumePermissions(snapshot: id, region: region)
                }
                for (index, answer) in answers.enumerated() {
                    switch answer {
                    case .success(let permissions): snapshots[index].createVolumePermissions = permissions
                    case .failure(let error): record("ec2:DescribeSnapshotAttribute", error)
                    }
                }
            }
        }

        var settings: RegionSettings?
        if plan.needs.contains(.regionSettings) {
            let (value, failures) = await regionSettings(account: account.id, region: region)
            settings = value
            for (operation, error) in failures { record(operation, error) }
        }

        if plan.needs.contains(.usage) {
            do {
                let counts = try await instanceImageCounts(region: region)
                for index in images.indices { images[index].instanceCount = counts[images[index].imageId] ?? 0 }
            } catch { record("ec2:DescribeInstances", error) }
        }

        progress.imagesFound(images.count)
        let status: RegionCoverage.Status = errors.isEmpty ? .scanned : .partial
        return RegionResult(account: account, region: region, images: images, snapshots: snapshots,
                            settings: settings,
                            coverage: RegionCoverage(accountId: account.id, region: region, status: status,
                                                     reason: errors.isEmpty ? nil : "\(errors.count) call(s) failed",
                                                     imageCount: images.count),
                            errors: errors)
    }

    private func ec2(_ region: String, _ action: String, _ parameters: [(String, String)]) async throws(AWSError) -> XMLNode {
        await pacer.pace(account: account, region: region, action: action)
        return try await client.query(.ec2, region: region, action: action, parameters: parameters,
                               credentials: credentials)
    }

    func describeImages(account: String, region: String) async throws -> [Image] {
        var images: [Image] = []
        var token: String?
        repeat {
            var parameters = [("Owner.1", "self"), ("MaxResults", "1000"),
                              ("IncludeDeprecated", "true"), ("IncludeDisabled", "true")]
            if let token { parameters.append(("NextToken", token)) }
            let root = try await ec2(region, "DescribeImages", parameters)
            let page = try EC2Decode.images(root, account: account, region: region)
            images += page.images
            token = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        // An image owned by another account cannot be here with Owner=self; moto ignores the
        // filter for some images, so enforce it.
        return images.filter { $0.ownerId == account }
    }

    func launchPermissions(image: String, region: String) async -> Result<[LaunchPermission], any Error> {
        do {
            let root = try await ec2(region, "DescribeImageAttribute",
                                     [("ImageId", image), ("Attribute", "launchPermission")])
            return .success(try EC2Decode.launchPermissions(root))
        } catch { return .failure(error) }
    }

    func describeSnapshots(for images: [Image], account: String, region: String) async throws -> [Snapshot] {
        let wanted = Set(images.flatMap { $0.blockDevices.compactMap(\.snapshotId) })
        var snapshots: [Snapshot] = []
        var token: String?
        repeat {
            var parameters = [("OwnerId.1", "self"), ("MaxResults", "1000")]
            if let token { parameters.append(("NextToken", token)) }
            let root = try await ec2(region, "DescribeSnapshots", parameters)
            let page = try EC2Decode.snapshots(root, account: account, region: region)
            snapshots += page.snapshots.filter { wanted.contains($0.snapshotId) && $0.ownerId == account }
            token = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return snapshots.sorted { $0.snapshotId < $1.snapshotId }
    }

    func createVolumePermissions(snapshot: String, region: String) async -> Result<[LaunchPermission], any Error> {
        do {
            let root = try await ec2(region, "DescribeSnapshotAttribute",
                                     [("SnapshotId", snapshot), ("Attribute", "createVolumePermission")])
            return .success(try EC2Decode.createVolumePermissions(root))
        } catch { return .failure(error) }
    }

    func regionSettings(account: String, region: String) async -> (RegionSettings, [(String, any Error)]) {
        var settings = RegionSettings(accountId: account, region: region)
        var failures: [(String, any Error)] = []
        do { settings.ebsEncryptionByDefault = try EC2Decode.ebsEncryptionByDefault(await ec2(region, "GetEbsEncryptionByDefault", [])) }
        catch { failures.append(("ec2:GetEbsEncryptionByDefault", error)) }
        do { settings.imageBlockPublicAccess = try EC2Decode.imageBlockPublicAccessState(await ec2(region, "GetImageBlockPublicAccessState", [])) }
        catch { failures.append(("ec2:GetImageBlockPublicAccessState", error)) }
        do { settings.snapshotBlockPublicAccess = try EC2Decode.snapshotBlockPublicAccessState(await ec2(region, "GetSnapshotBlockPublicAccessState", [])) }
        catch { failures.append(("ec2:GetSnapshotBlockPublicAccessState", error)) }
        do { settings.allowedImagesState = try EC2Decode.allowedImagesState(await ec2(region, "GetAllowedImagesSettings", [])) }
        catch { failures.append(("ec2:GetAllowedImagesSettings", error)) }
        return (settings, failures)
    }

    func instanceImageCounts(region: String) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        var token: String?
        repeat {
            var parameters = [("MaxResults", "1000")]
            if let token { parameters.append(("NextToken", token)) }
            let page = try EC2Decode.instanceImageCounts(await ec2(region, "DescribeInstances", parameters))
            counts.merge(page.counts, uniquingKeysWith: +)
            token = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return counts
    }
}

func scanError(account: String, region: String?, operation: String, _ error: any Error) -> ScanError {
    if let aws = error as? AWSError {
        return ScanError(accountId: account, region: region, operation: operation, code: aws.code, message: aws.message)
    }
    return ScanError(accountId: account, region: region, operation: operation, code: "MalformedResponse",
                     message: String(describing: error))
}
