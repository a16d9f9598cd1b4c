import AmigoAWS
import AmigoCore
import Foundation

/// One page of a workload listing: what decoded, the items that did not (each error names its
/// item and field, and becomes a scan error), and the next page's token.
public struct WorkloadPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var problems: [DecodeError]
    public var nextToken: String?
}

/// One version of a launch template, as `DescribeLaunchTemplateVersions` lists it.
public struct LaunchTemplateVersion: Sendable, Hashable {
    public var templateId: String
    public var templateName: String?
    public var versionNumber: Int
    public var isDefault: Bool
    public var created: Date?
    /// The resolved AMI (`ResolveAlias=true`); nil when the version names none.
    public var imageId: String?
    /// An SSM alias EC2 did not resolve (`resolve:ssm:…`): the version names an image amigo cannot see.
    public var unresolvedAlias: String?
}

extension FieldReader {
    /// An image id where an AMI id must be: anything else is malformed, never sent on.
    func imageId(_ node: XMLNode, _ name: String, _ what: String) throws(DecodeError) -> String? {
        guard let text = string(node, name) else { return nil }
        guard AWSIdentifier.isImage(text) else { throw malformed(what, name, text, expected: "an AMI id (ami-…)") }
        return text
    }

    /// A required `instanceId` that must be one.
    func instanceId(_ node: XMLNode, _ place: String) throws(DecodeError) -> String {
        let id = try required(node, "instanceId", place)
        guard AWSIdentifier.isInstance(id) else { throw malformed(place, "instanceId", id, expected: "an instance id (i-…)") }
        return id
    }

    func tags(_ node: XMLNode, _ what: String) throws(DecodeError) -> [Tag] {
        var tags: [Tag] = []
        for (n, tag) in node.items("tagSet").enumerated() {
            tags.append(Tag(try required(tag, "key", "\(what) tag \(n + 1)"), string(tag, "value") ?? ""))
        }
        return tags
    }
}

extension EC2Decode {
    /// `DescribeInstances`: every instance but the terminated ones (they linger for about an
    /// hour and no longer use anything). An instance without an image, or with an id or image
    /// id that is not one, is a problem naming it; the rest of the page decodes.
    public static func instances(_ root: XMLNode, account: String, region: String) throws -> WorkloadPage<Workload> {
        let r = FieldReader(operation: "DescribeInstances")
        try r.expectRoot(root)
        var page = WorkloadPage<Workload>(items: [], problems: [], nextToken: r.nextToken(root))
        for (m, reservation) in root.items("reservationSet").enumerated() {
            for (n, item) in reservation.items("instancesSet").enumerated() {
                do throws(DecodeError) {
                    let id = try r.instanceId(item, "reservation \(m + 1) instance \(n + 1)")
                    let what = "instance \(id)"
                    let state = item.child("instanceState").flatMap { r.string($0, "name") }
                    if state == "terminated" { continue }
                    guard let image = try r.imageId(item, "imageId", what) else { throw r.fail("\(what) has no imageId") }
                    let tags = try r.tags(item, what)
                    page.items.append(Workload(
                        accountId: account, region: region, kind: .instance, resourceId: id,
                        name: tags.first { $0.key == "Name" }?.value, state: state,
                        launchTime: try r.date(item, "launchTime", what), tags: tags, imageId: image, via: nil,
                        imageMetadata: nil))
                } catch {
                    page.problems.append(error)
                }
            }
        }
        return page
    }

    /// `DescribeLaunchTemplateVersions` (`$Default` and `$Latest`, or named versions of one template).
    public static func launchTemplateVersions(_ root: XMLNode) throws -> WorkloadPage<LaunchTemplateVersion> {
        let r = FieldReader(operation: "DescribeLaunchTemplateVersions")
        try r.expectRoot(root)
        var page = WorkloadPage<LaunchTemplateVersion>(items: [], problems: [], nextToken: r.nextToken(root))
        for (n, item) in root.items("launchTemplateVersionSet").enumerated() {
            do throws(DecodeError) {
                let place = "launch template version item \(n + 1)"
                let id = try r.required(item, "launchTemplateId", place)
                guard AWSIdentifier.isLaunchTemplate(id) else {
                    throw r.malformed(place, "launchTemplateId", id, expected: "a launch template id (lt-…)")
                }
                guard let number = try r.int(item, "versionNumber", "launch template \(id)") else {
                    throw r.fail("launch template \(id) \(place) has no versionNumber")
                }
                let what = "launch template \(id) version \(number)"
                var image: String?, alias: String?
                if let data = item.child("launchTemplateData"), let text = r.string(data, "imageId") {
                    if text.hasPrefix("resolve:ssm:") { alias = text } else { image = try r.imageId(data, "imageId", what) }
                }
                page.items.append(LaunchTemplateVersion(
                    templateId: id, templateName: r.string(item, "launchTemplateName"), versionNumber: number,
                    isDefault: try r.bool(item, "defaultVersion", what) ?? false,
                    created: try r.date(item, "createTime", what), imageId: image, unresolvedAlias: alias))
            } catch {
                page.problems.append(error)
            }
        }
        return page
    }

    /// `DescribeInstanceImageMetadata`: per instance id, what EC2 remembers of its image.
    public static func instanceImageMetadata(_ root: XMLNode) throws -> WorkloadPage<(instanceId: String, metadata: ImageMetadata)> {
        let r = FieldReader(operation: "DescribeInstanceImageMetadata")
        try r.expectRoot(root)
        var page = WorkloadPage<(instanceId: String, metadata: ImageMetadata)>(items: [], problems: [], nextToken: r.nextToken(root))
        for (n, item) in root.items("instanceImageMetadataSet").enumerated() {
            do throws(DecodeError) {
                let id = try r.instanceId(item, "instance image metadata item \(n + 1)")
                let what = "image metadata of instance \(id)"
                guard let m = item.child("imageMetadata") else { throw r.fail("\(what) is missing") }
                guard let image = try r.imageId(m, "imageId", what) else { throw r.fail("\(what) has no imageId") }
                let owner = r.string(m, "imageOwnerId")
                if let owner, !AWSIdentifier.isAccount(owner) {
                    throw r.malformed(what, "imageOwnerId", owner, expected: "an account id")
                }
                page.items.append((id, ImageMetadata(
                    imageId: image, name: r.string(m, "name"), ownerId: owner, ownerAlias: r.string(m, "imageOwnerAlias"),
                    state: r.string(m, "imageState"), creationDate: try r.date(m, "creationDate", what),
                    deprecationTime: try r.date(m, "deprecationTime", what), isPublic: try r.bool(m, "isPublic", what),
                    imageAllowed: try r.bool(m, "imageAllowed", what))))
            } catch {
                page.problems.append(error)
            }
        }
        return page
    }

    /// `DescribeImageAttribute` with `Attribute=lastLaunchedTime`: nil when never launched
    /// (or launched before EC2 began recording it, 2017).
    public static func lastLaunchedTime(_ root: XMLNode) throws -> Date? {
        let r = FieldReader(operation: "DescribeImageAttribute")
        try r.expectRoot(root)
        guard let attribute = root.child("lastLaunchedTime") else { return nil }
        return try r.date(attribute, "value", "lastLaunchedTime")
    }

    /// `GetAllowedImagesSettings` whole: the state, the criteria (none sent is an empty list:
    /// once enabled, nothing is allowed) and who manages them.
    public static func allowedImagesSettings(_ root: XMLNode) throws
        -> (state: String, criteria: [ImageCriterion], managedBy: String?) {
        let r = FieldReader(operation: "GetAllowedImagesSettings")
        try r.expectRoot(root)
        let state = try r.required(root, "state", "response")
        var criteria: [ImageCriterion] = []
        for (n, item) in root.items("imageCriterionSet").enumerated() {
            let what = "image criterion \(n + 1)"
            // Empty is absent, for list members too.
            func values(_ list: String) -> [String] {
                item.items(list).map(\.text).filter { $0.contains { !$0.isWhitespace } }
            }
            criteria.append(ImageCriterion(
                imageProviders: values("imageProviderSet"), marketplaceProductCodes: values("marketplaceProductCodeSet"),
                imageNames: values("imageNameSet"),
                maximumDaysSinceCreated: try item.child("creationDateCondition").flatMap { c throws(DecodeError) in
                    try r.int(c, "maximumDaysSinceCreated", what) },
                maximumDaysSinceDeprecated: try item.child("deprecationTimeCondition").flatMap { c throws(DecodeError) in
                    try r.int(c, "maximumDaysSinceDeprecated", what) }))
        }
        return (state, criteria, r.string(root, "managedBy"))
    }
}
