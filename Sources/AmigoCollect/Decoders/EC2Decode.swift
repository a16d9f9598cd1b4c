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
            regions.append(RegionInfo(name: name, optInStatus: item.string("optInStatus"),
                                      endpoint: item.string("regionEndpoint")))
        }
        return regions
    }

    /// `launchPermissions` and `instanceCount` stay nil: they come from other calls.
    public static func images(_ root: XMLNode, account: String, region: String) throws
        -> (images: [Image], nextToken: String?) {
        let r = FieldReader(operation: "DescribeImages")
        try r.expectRoot(root)
        var images: [Image] = []
        for (n, item) in root.items("imagesSet").enumerated() {
            images.append(try image(item, number: n + 1, account: account, region: region, r))
        }
        return (images, r.nextToken(root))
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
            tags.append(Tag(key, tag.string("value") ?? ""))
        }
        var devices: [BlockDevice] = []
        for (n, mapping) in item.items("blockDeviceMapping").enumerated() {
            if let device = try blockDevice(mapping, what: "\(what) block device \(n + 1)", r) {
                devices.append(device)
            }
        }
        return Image(
            accountId: account, region: region, imageId: imageId,
            name: item.string("name"), description: item.string("description"),
            // DescribeImages is asked for Owners=self: an image that names no owner is the account's.
            ownerId: item.string("imageOwnerId") ?? account, ownerAlias: item.string("imageOwnerAlias"),
            creationDate: try r.date(item, "creationDate", what),
            deprecationTime: try r.date(item, "deprecationTime", what),
            state: state, isPublic: isPublic,
            virtualizationType: item.string("virtualizationType"),
            architecture: item.string("architecture"), imageType: item.string("imageType"),
            rootDeviceType: item.string("rootDeviceType"), rootDeviceName: item.string("rootDeviceName"),
            bootMode: item.string("bootMode"), imdsSupport: item.string("imdsSupport"),
            tpmSupport: item.string("tpmSupport"), enaSupport: try r.bool(item, "enaSupport", what),
            platform: item.string("platform"), platformDetails: item.string("platformDetails"),
            usageOperation: item.string("usageOperation"), sourceImageId: item.string("sourceImageId"),
            sourceImageRegion: item.string("sourceImageRegion"),
            deregistrationProtection: item.string("deregistrationProtection"),
            lastLaunchedTime: try r.date(item, "lastLaunchedTime", what),
            tags: tags, blockDevices: devices)
    }

    /// nil for a `noDevice` mapping: it suppresses a device of the source image and is no
    /// volume at all, so it must not count as an unencrypted EBS volume.
    private static func blockDevice(_ mapping: XMLNode, what: String,
                                    _ r: FieldReader) throws(DecodeError) -> BlockDevice? {
        let deviceName = try r.required(mapping, "deviceName", what)
        if mapping.child("noDevice") != nil && mapping.child("ebs") == nil { return nil }
        if let virtual = mapping.string("virtualName") {
            return BlockDevice(deviceName: deviceName, virtualName: virtual)
        }
        let ebs = mapping.child("ebs")
        return BlockDevice(
            deviceName: deviceName,
            snapshotId: ebs?.string("snapshotId"),
            volumeSize: try ebs.flatMap { e throws(DecodeError) in try r.int(e, "volumeSize", what) },
            volumeType: ebs?.string("volumeType"),
            encrypted: try ebs.flatMap { e throws(DecodeError) in try r.bool(e, "encrypted", what) },
            kmsKeyId: ebs?.string("kmsKeyId"),
            deleteOnTermination: try ebs.flatMap { e throws(DecodeError) in
                try r.bool(e, "deleteOnTermination", what) })
    }
}
