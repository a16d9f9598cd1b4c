import AmigoAWS
import AmigoCore
import Foundation

extension EC2Decode {
    /// `DescribeImageAttribute` with `Attribute=launchPermission`.
    public static func launchPermissions(_ root: XMLNode) throws -> [LaunchPermission] {
        let r = FieldReader(operation: "DescribeImageAttribute")
        try r.expectRoot(root)
        return try permissions(root.items("launchPermission"), r)
    }

    /// `DescribeSnapshotAttribute` with `Attribute=createVolumePermission`.
    public static func createVolumePermissions(_ root: XMLNode) throws -> [LaunchPermission] {
        let r = FieldReader(operation: "DescribeSnapshotAttribute")
        try r.expectRoot(root)
        return try permissions(root.items("createVolumePermission"), r)
    }

    /// An entry naming none of the known grantees is an error rather than skipped: ignoring
    /// a grant AWS adds in future could hide sharing.
    private static func permissions(_ items: [XMLNode], _ r: FieldReader) throws(DecodeError) -> [LaunchPermission] {
        var result: [LaunchPermission] = []
        for (n, item) in items.enumerated() {
            if let group = r.string(item, "group") {
                guard group == "all" else { throw r.malformed("permission item \(n + 1)", "group", group, expected: "all") }
                result.append(.everyone)
            } else if let user = r.string(item, "userId") {
                result.append(.account(user))
            } else if let org = r.string(item, "organizationArn") {
                result.append(.organization(org))
            } else if let ou = r.string(item, "organizationalUnitArn") {
                result.append(.organizationalUnit(ou))
            } else {
                throw r.fail("permission item \(n + 1) has no group, userId, organizationArn or organizationalUnitArn")
            }
        }
        return result
    }

    /// `createVolumePermissions` stays nil: it comes from `DescribeSnapshotAttribute`.
    public static func snapshots(_ root: XMLNode, account: String, region: String) throws
        -> (snapshots: [Snapshot], nextToken: String?) {
        let r = FieldReader(operation: "DescribeSnapshots")
        try r.expectRoot(root)
        var snapshots: [Snapshot] = []
        for (n, item) in root.items("snapshotSet").enumerated() {
            let id = try r.required(item, "snapshotId", "snapshot item \(n + 1)")
            let what = "snapshot \(id)"
            snapshots.append(Snapshot(
                accountId: account, region: region, snapshotId: id, ownerId: r.string(item, "ownerId"),
                encrypted: try r.requiredBool(item, "encrypted", what), kmsKeyId: r.string(item, "kmsKeyId"),
                volumeSize: try r.int(item, "volumeSize", what), startTime: try r.date(item, "startTime", what)))
        }
        return (snapshots, r.nextToken(root))
    }

    public static func ebsEncryptionByDefault(_ root: XMLNode) throws -> Bool {
        let r = FieldReader(operation: "GetEbsEncryptionByDefault")
        try r.expectRoot(root)
        return try r.requiredBool(root, "ebsEncryptionByDefault", "response")
    }

    public static func imageBlockPublicAccessState(_ root: XMLNode) throws -> String {
        try setting(root, "GetImageBlockPublicAccessState", "imageBlockPublicAccessState")
    }

    public static func snapshotBlockPublicAccessState(_ root: XMLNode) throws -> String {
        try setting(root, "GetSnapshotBlockPublicAccessState", "state")
    }

    /// The one required field of a region-setting answer.
    private static func setting(_ root: XMLNode, _ operation: String, _ field: String) throws -> String {
        let r = FieldReader(operation: operation)
        try r.expectRoot(root)
        return try r.required(root, field, "response")
    }
}
