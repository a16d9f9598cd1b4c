import AmigoAWS
import AmigoCore
import Foundation

/// The images an account×region's workloads use that it does not own: `DescribeImages
/// ImageIds=…` in batches, as the account sees them (shared, Marketplace, Amazon, community).
/// An id EC2 does not return is "not found" (deregistered, or no longer shared), itself a
/// finding for the checks, never a pass.
extension RegionCollector {
    /// EC2 takes up to 1,000 ids; 100 keeps each answer small and a failed batch cheap.
    static let referencedBatch = 100

    func referencedImages(_ ids: [String], region: String) async -> ([ReferencedImage], [ScanError]) {
        let batches = stride(from: 0, to: ids.count, by: Self.referencedBatch).map {
            Array(ids[$0..<min($0 + Self.referencedBatch, ids.count)])
        }
        let limiter = AsyncLimiter(limit: plan.requestConcurrency)
        let answers = await limiter.map(batches) { batch in await self.referencedBatch(batch, region: region) }
        var found: [String: Image] = [:]
        var errors: [ScanError] = []
        var unknown: Set<String> = []
        for (batch, answer) in zip(batches, answers) {
            switch answer {
            case .success(let (images, problems)):
                for image in images where found[image.imageId] == nil { found[image.imageId] = image }
                errors += problems
            case .failure(let error):
                // Neither found nor not found: the ids stay out, and the region is partial.
                unknown.formUnion(batch)
                errors.append(scanError(account: account, region: region, operation: "ec2:DescribeImages", error))
            }
        }
        let undecodable = Set(errors.compactMap(\.imageId))
        let referenced = ids.filter { !unknown.contains($0) && !undecodable.contains($0) }.map {
            ReferencedImage(accountId: account, region: region, imageId: $0, image: found[$0])
        }
        return (referenced, errors)
    }

    /// One batch. AWS fails a whole batch with `InvalidAMIID.NotFound` (or `.Unavailable`)
    /// naming the ids it does not know: those are not found, and the rest is asked again, at
    /// most once per id; when the error names none of the batch, each half is asked apart.
    private func referencedBatch(_ batch: [String], region: String) async -> Result<([Image], [ScanError]), any Error> {
        var remaining = batch
        var images: [Image] = []
        var problems: [ScanError] = []
        var attempts = 0
        while !remaining.isEmpty {
            attempts += 1
            do {
                var parameters = remaining.enumerated().map { ("ImageId.\($0.offset + 1)", $0.element) }
                parameters += [("IncludeDeprecated", "true"), ("IncludeDisabled", "true")]
                let root = try await ec2(region, Self.describeImages, parameters)
                let (decoded, undecodable) = try Self.referenced(root, asked: Set(remaining), account: account, region: region)
                images += decoded
                problems += undecodable.map { undecodableError($0, region: region) }
                return .success((images, problems))
            } catch let error as AWSError where Self.isNotFound(error) && attempts <= batch.count {
                let named = Set(Self.imageIds(in: error.message)).intersection(remaining)
                if !named.isEmpty {
                    remaining.removeAll { named.contains($0) }
                } else if remaining.count == 1 {
                    return .success((images, problems))
                } else {
                    let half = remaining.count / 2
                    for part in [Array(remaining[..<half]), Array(remaining[half...])] {
                        switch await referencedBatch(part, region: region) {
                        case .success(let (more, moreProblems)): images += more; problems += moreProblems
                        case .failure(let error): return .failure(error)
                        }
                    }
                    return .success((images, problems))
                }
            } catch {
                return .failure(error)
            }
        }
        return .success((images, problems))
    }

    static func isNotFound(_ error: AWSError) -> Bool {
        error.code == "InvalidAMIID.NotFound" || error.code == "InvalidAMIID.Unavailable"
    }

    /// The AMI ids an error message names (`The image id '[ami-1, ami-2]' does not exist`).
    static func imageIds(in message: String) -> [String] {
        message.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }).map(String.init)
            .filter(AWSIdentifier.isImage)
    }

    /// The images of a referenced batch. Unlike an owned listing, an image must name its owner
    /// (nobody else's image may pass for the account's), and one the batch did not ask for is dropped.
    static func referenced(_ root: XMLNode, asked: Set<String>, account: String, region: String) throws
        -> ([Image], [UndecodableImage]) {
        let page = try EC2Decode.images(root, account: account, region: region)
        let r = FieldReader(operation: "DescribeImages")
        let ownerless = Set(root.items("imagesSet").filter { r.string($0, "imageOwnerId") == nil }
            .compactMap { r.string($0, "imageId") })
        var undecodable = page.undecodable.filter { $0.imageId.map(asked.contains) ?? false }
        for id in ownerless.intersection(asked).sorted() {
            undecodable.append(UndecodableImage(imageId: id, ownerId: nil,
                                                error: r.fail("image \(id) has no imageOwnerId")))
        }
        let images = page.images.filter { asked.contains($0.imageId) && !ownerless.contains($0.imageId) }
        var seen: Set<String> = []
        return (images.filter { seen.insert($0.imageId).inserted }, undecodable)
    }
}

extension RegionCollector {
    /// `DescribeImageAttribute lastLaunchedTime` for the owned images whose DescribeImages item
    /// did not carry it (EC2 sends it there for owned images in most regions, so most scans
    /// need few of these calls). A failed call is a scan error naming the image.
    func lastLaunchedTimes(of ids: [String], region: String) async -> ([String: Date], [ScanError]) {
        let limiter = AsyncLimiter(limit: plan.requestConcurrency)
        let perImage = client.withRetryBudget(for: ids.count)
        let answers = await limiter.map(ids) { id in
            await attempt {
                try EC2Decode.lastLaunchedTime(try await perImage.query(
                    Self.describeImageAttribute, region: region,
                    parameters: [("ImageId", id), ("Attribute", "lastLaunchedTime")], credentials: self.credentials))
            }
        }
        var times: [String: Date] = [:]
        var errors: [ScanError] = []
        for (id, answer) in zip(ids, answers) {
            switch answer {
            case .success(let time): times[id] = time
            case .failure(let error):
                var failure = scanError(account: account, region: region, operation: "ec2:DescribeImageAttribute", error)
                failure.message = "lastLaunchedTime of \(id): \(failure.message)"
                errors.append(failure)
            }
        }
        return (times, errors)
    }
}
