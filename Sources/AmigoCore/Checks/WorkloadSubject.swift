import Foundation

/// A workload is judged by the image it launches. Its findings have `resourceType` `workload`;
/// the discriminator starts with the kind and image id, since one Auto Scaling group can reach
/// two images (two overrides), and a group and a configuration may share a name.
extension Workload: CheckSubject {
    public static var resourceType: String { Finding.workloadResourceType }
    public var resourceName: String? { name }
    public var subjectDiscriminator: String? { "\(kind.rawValue) \(imageId ?? "none")" }
}

/// What amigo knows about a workload's image, best source first.
public enum WorkloadImage: Sendable {
    /// Described in full: owned by a scanned account (the catalogue), or `DescribeImages
    /// ImageIds=…` from the workload's account×region (`source` says which).
    case image(Image, source: String)
    /// Only what `DescribeInstanceImageMetadata` says (the image is not visible to the account).
    case metadata(ImageMetadata)
    /// EC2 answered "not found": deregistered, or no longer shared with the account.
    case notFound(imageId: String, metadata: ImageMetadata?)
    /// Nothing was collected about the image.
    case unknown(imageId: String)
    /// The workload names no image amigo could resolve (`via` says what it pointed at).
    case none

    public static let catalogueSource = "owned by a scanned account"
    public static let describedSource = "DescribeImages"
    public static let metadataSource = "DescribeInstanceImageMetadata"

    /// Evidence every workload finding carries: which image, and where amigo learned about it.
    public func evidence(for workload: Workload) -> [String: String] {
        var fields = ["workload": workload.kind.rawValue, "imageId": workload.imageId ?? "none"]
        if let via = workload.via { fields["via"] = via }
        switch self {
        case .image(_, let source): fields["imageSource"] = source
        case .metadata: fields["imageSource"] = Self.metadataSource
        case .notFound: fields["imageSource"] = "not found"
        case .unknown: fields["imageSource"] = "not collected"
        case .none: fields["imageSource"] = "none"
        }
        return fields
    }
}

extension EvaluationContext {
    /// The image a workload launches: an image some scanned account owns, the workload's
    /// account×region's `DescribeImages` answer (or another account's, for an image described
    /// for one of its workloads), the instance's image metadata, or nothing known.
    public func image(for workload: Workload) -> WorkloadImage {
        guard let id = workload.imageId else { return .none }
        let key = ImageKey(region: workload.region, imageId: id)
        if let owned = ownedImages[key] { return .image(owned, source: WorkloadImage.catalogueSource) }
        let metadata = workload.imageMetadata.flatMap { $0.imageId == id ? $0 : nil }
        if let reference = workloads?.reference(account: workload.accountId, region: workload.region, imageId: id) {
            guard let image = reference.image else { return .notFound(imageId: id, metadata: metadata) }
            return .image(image, source: WorkloadImage.describedSource)
        }
        if let image = describedImage(key) { return .image(image, source: WorkloadImage.describedSource) }
        if let metadata {
            // EC2 leaves the state out when the image is gone or no longer shared.
            return metadata.state == nil ? .notFound(imageId: id, metadata: metadata) : .metadata(metadata)
        }
        return .unknown(imageId: id)
    }

    /// An image of the scan by region and id, owned or described for a workload.
    public func anyImage(_ key: ImageKey) -> Image? {
        ownedImages[key] ?? describedImage(key)
    }

    private func describedImage(_ key: ImageKey) -> Image? {
        workloads?.describedImage(key)
    }
}

/// The fields of an image the workload checks judge, from a full description or from instance
/// image metadata (`tags` and the source chain are then unknown: nil).
public struct ImageFacts: Sendable {
    public var imageId: String
    public var region: String
    public var ownerId: String?
    public var ownerAlias: String?
    public var name: String?
    /// nil: unknown (only metadata was collected), so a tag rule cannot be verified.
    public var tags: [Tag]?
    public var state: String?
    public var creationDate: Date?
    public var deprecationTime: Date?
    public var sourceImageId: String?
    public var sourceImageRegion: String?

    public init(_ image: Image) {
        imageId = image.imageId; region = image.region; ownerId = image.ownerId; ownerAlias = image.ownerAlias
        name = image.name; tags = image.tags; state = image.state; creationDate = image.creationDate
        deprecationTime = image.deprecationTime; sourceImageId = image.sourceImageId
        sourceImageRegion = image.sourceImageRegion
    }

    public init(_ metadata: ImageMetadata, region: String) {
        imageId = metadata.imageId; self.region = region; ownerId = metadata.ownerId
        ownerAlias = metadata.ownerAlias; name = metadata.name; tags = nil; state = metadata.state
        creationDate = metadata.creationDate; deprecationTime = metadata.deprecationTime
    }

    public func isDeprecated(asOf: Date) -> Bool { deprecationTime.map { $0 <= asOf } ?? false }
}

extension WorkloadImage {
    /// What is known about the image (nil: nothing).
    public func facts(region: String) -> ImageFacts? {
        switch self {
        case .image(let image, _): ImageFacts(image)
        case .metadata(let metadata): ImageFacts(metadata, region: region)
        case .notFound(_, let metadata): metadata.map { ImageFacts($0, region: region) }
        case .unknown, .none: nil
        }
    }
}

extension Check where Subject == Workload {
    /// The fail-closed violation of a workload whose image nothing was collected about.
    static func cannotVerify(_ workload: Workload, _ image: WorkloadImage, what: String) -> Violation {
        Violation("Nothing was collected about image \(UntrustedText.quoted(workload.imageId ?? "none")), so whether it is \(what) cannot be verified.",
                  evidence: image.evidence(for: workload))
    }

    /// The violation of a workload that names no image.
    static func noImage(_ workload: Workload, _ image: WorkloadImage) -> Violation {
        Violation("The \(workload.kind.noun) names no image amigo could resolve\(workload.via.map { " (via \(UntrustedText.quoted($0)))" } ?? "").",
                  evidence: image.evidence(for: workload))
    }
}

/// The `kinds` parameter of workload checks: which kinds of workload a policy judges.
extension CheckParameters {
    func workloadKinds() throws -> Set<Workload.Kind> {
        let names = Workload.Kind.allCases.map(\.rawValue)
        guard let chosen = try subset("kinds", of: names) else { return Set(Workload.Kind.allCases) }
        return Set(chosen.compactMap(Workload.Kind.init(rawValue:)))
    }
}

extension ParameterDoc {
    static let workloadKinds = ParameterDoc("kinds", "[instance | launch-template | auto-scaling-group | launch-configuration | ssm-parameter]",
                                            "The kinds of workload judged (default all).")
}
