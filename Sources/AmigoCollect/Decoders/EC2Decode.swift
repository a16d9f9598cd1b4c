import AmigoAWS
import AmigoCore
import Foundation

/// One entry of `DescribeRegions`.
public struct RegionInfo: Sendable, Hashable {
    public var name: String
    public var optInStatus: String?
    public var endpoint: String?
    public init(name: String, optInStatus: String? = nil, endpoint: String? = nil) {
        self.name = name; self.optInStatus = optInStatus; self.endpoint = endpoint
    }
    /// Without `AllRegions=true` EC2 lists only usable regions and may omit the status,
    /// so a region with no status is one the account can use.
    public var isEnabled: Bool {
        guard let status = optInStatus else { return true }
        return status == "opt-in-not-required" || status == "opted-in"
    }
}

/// Decoders for EC2 Query responses. Element names follow botocore's `ec2/2016-11-15`
/// model (`locationName` of each member; lists are `<xxxSet><item>…`).
public enum EC2Decode {
    public static func regions(_ root: XMLNode) throws -> [RegionInfo] {
        let r = FieldReader(operation: "DescribeRegions")
        try r.expectRoot(root)
        var regions: [RegionInfo] = []
        for (n, item) in root.items("regionInfo").enumerated() {
            let name = try r.required(item, "regionName", "region item \(n + 1)")
            regions.append(RegionInfo(name: name, optInStatus: r.string(item, "optInStatus"),
                                      endpoint: r.string(item, "regionEndpoint")))
        }
        return regions
    }

    /// `launchPermissions` and `instanceCount` stay nil: they come from other calls. An image
    /// that does not decode is kept apart with the reason, and the rest of the page decodes.
    public static func images(_ root: XMLNode, account: String, region: String) throws -> ImagePage {
        let r = FieldReader(operation: "DescribeImages")
        try r.expectRoot(root)
        var page = ImagePage(images: [], undecodable: [], nextToken: r.nextToken(root))
        for (n, item) in root.items("imagesSet").enumerated() {
            do {
                page.images.append(try image(item, number: n + 1, account: account, region: region, r))
            } catch {
                page.undecodable.append(UndecodableImage(imageId: r.string(item, "imageId"),
                                                         ownerId: r.string(item, "imageOwnerId"), error: error))
            }
        }
        return page
    }

    /// The ids of a page's images owned by `account` (an image without an owner is taken as
    /// the account's, as `images` does), read without decoding the rest.
    public static func imageIds(_ root: XMLNode, ownedBy account: String) -> [String] {
        let r = FieldReader(operation: "DescribeImages")
        return root.items("imagesSet").compactMap { item in
            (r.string(item, "imageOwnerId") ?? account) == account ? r.string(item, "imageId") : nil
        }
    }

    private static func image(_ item: XMLNode, number: Int, account: String, region: String,
                              _ r: FieldReader) throws(DecodeError) -> Image {
        let imageId = try r.required(item, "imageId", "image item \(number)")
        let what = "image \(imageId)"
        // A missing state or visibility would make the image look safer than it may be.
        let state = try r.required(item, "imageState", what)
        let isPublic = try r.requiredBool(item, "isPublic", what)
        var tags: [Tag] = []
        for (n, tag) in item.items("tagSet").enumerated() {
            let key = try r.required(tag, "key", "\(what) tag \(n + 1)")
            tags.append(Tag(key, r.string(tag, "value") ?? ""))
        }
        var devices: [BlockDevice] = []
        for (n, mapping) in item.items("blockDeviceMapping").enumerated() {
            if let device = try blockDevice(mapping, what: "\(what) block device \(n + 1)", r) {
                devices.append(device)
            }
        }
        return Image(
            accountId: account, region: region, imageId: imageId,
            name: r.string(item, "name"), description: r.string(item, "description"),
            // DescribeImages is asked for Owners=self: an image that names no owner is the account's.
            ownerId: r.string(item, "imageOwnerId") ?? account, ownerAlias: r.string(item, "imageOwnerAlias"),
            creationDate: try r.date(item, "creationDate", what),
            deprecationTime: try r.date(item, "deprecationTime", what),
            state: state, isPublic: isPublic,
            virtualizationType: r.string(item, "virtualizationType"),
            architecture: r.string(item, "architecture"), imageType: r.string(item, "imageType"),
            rootDeviceType: r.string(item, "rootDeviceType"), rootDeviceName: r.string(item, "rootDeviceName"),
            bootMode: r.string(item, "bootMode"), imdsSupport: r.string(item, "imdsSupport"),
            tpmSupport: r.string(item, "tpmSupport"), enaSupport: try r.bool(item, "enaSupport", what),
            platform: r.string(item, "platform"), platformDetails: r.string(item, "platformDetails"),
            usageOperation: r.string(item, "usageOperation"), sourceImageId: r.string(item, "sourceImageId"),
            sourceImageRegion: r.string(item, "sourceImageRegion"),
            deregistrationProtection: r.string(item, "deregistrationProtection"),
            lastLaunchedTime: try r.date(item, "lastLaunchedTime", what),
            tags: tags, blockDevices: devices)
    }

    /// nil for a `noDevice` mapping: it suppresses a device of the source image and is no
    /// volume at all, so it must not count as an unencrypted EBS volume. nil too for an
    /// instance-store mapping without a device name (legacy images send `<item>` with only
    /// `virtualName`): it is no EBS volume, and there is no device to name.
    private static func blockDevice(_ mapping: XMLNode, what: String,
                                    _ r: FieldReader) throws(DecodeError) -> BlockDevice? {
        let ebs = mapping.child("ebs")
        if mapping.child("noDevice") != nil && ebs == nil { return nil }
        let virtual = r.string(mapping, "virtualName")
        if virtual != nil && ebs == nil && r.string(mapping, "deviceName") == nil { return nil }
        let deviceName = try r.required(mapping, "deviceName", what)
        if let virtual, ebs == nil {
            return BlockDevice(deviceName: deviceName, virtualName: virtual)
        }
        return BlockDevice(
            deviceName: deviceName,
            snapshotId: ebs.flatMap { r.string($0, "snapshotId") },
            volumeSize: try ebs.flatMap { e throws(DecodeError) in try r.int(e, "volumeSize", what) },
            volumeType: ebs.flatMap { r.string($0, "volumeType") },
            encrypted: try ebs.flatMap { e throws(DecodeError) in try r.bool(e, "encrypted", what) },
            kmsKeyId: ebs.flatMap { r.string($0, "kmsKeyId") },
            deleteOnTermination: try ebs.flatMap { e throws(DecodeError) in
                try r.bool(e, "deleteOnTermination", what) })
    }
}

/// One page of `DescribeImages`: the images that decoded, those that did not, and the token
/// of the next page.
public struct ImagePage: Sendable {
    public var images: [Image]
    public var undecodable: [UndecodableImage]
    public var nextToken: String?
}

/// An image item with a malformed field: none of it can be trusted, so it is reported as a
/// scan error and judged "cannot be verified" by every policy in scope.
public struct UndecodableImage: Sendable, Hashable {
    /// nil when the item has no id at all.
    public var imageId: String?
    public var ownerId: String?
    public var error: DecodeError
}
