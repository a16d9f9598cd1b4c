import AmigoCore
import Foundation
import GRDB

extension Catalog {
    /// Exactly what was recorded for a scan, in recording order, read from one consistent
    /// snapshot of the file (a scan still being written shows the batches committed so far).
    public func inventory(scan: Int64) throws -> Inventory {
        let operation = "reading the inventory of scan \(scan)"
        return try read(operation) { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM scan WHERE id = ?", arguments: [scan]) ?? false else {
                throw failure(operation, "there is no scan \(scan)")
            }
            let reader = InventoryReader(db: db, scan: scan, fail: { self.failure(operation, $0) })
            return Inventory(organization: try reader.organization(), accounts: try reader.accounts(),
                             images: try reader.images(), snapshots: try reader.snapshots(),
                             regionSettings: try reader.regionSettings(), workloads: try reader.workloads(),
                             referencedImages: try reader.referencedImages(), coverage: try reader.coverage(),
                             errors: try reader.errors())
        }
    }
}

struct InventoryReader {
    let db: Database
    let scan: Int64
    let fail: (String) -> CatalogError
    /// When set, only this account×region's rows are read (through the tables' scan, account,
    /// region indices); otherwise the whole scan's.
    var only: RegionRef? = nil

    /// The condition that an image row (aliased `alias`) belongs to a recorded account×region,
    /// not to one whose batch is still to come (`Catalog.prewrite`).
    static func recorded(_ alias: String) -> String {
        "EXISTS (SELECT 1 FROM coverage v WHERE v.scan_id = \(alias).scan_id AND v.account_id = \(alias).account_id AND v.region = \(alias).region)"
    }

    /// The `AND …` that narrows a query to `only`, for a table aliased `alias`, and its arguments.
    private func filter(_ alias: String) -> (sql: String, arguments: StatementArguments) {
        guard let only else { return ("", [scan]) }
        return (" AND \(alias).account_id = ? AND \(alias).region = ?", [scan, only.accountId, only.region])
    }

    func organization() throws -> Organization? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT organization_id, arn, management_account_id FROM organization WHERE scan_id = ?
            """, arguments: [scan]) else { return nil }
        let members = try String.fetchSet(db, sql: "SELECT account_id FROM organization_member WHERE scan_id = ?",
                                          arguments: [scan])
        return Organization(id: row[0], arn: row[1], managementAccountId: row[2], memberAccountIds: members)
    }

    func accounts() throws -> [Account] {
        try all(sql: """
            SELECT account_id, name, email, status, parent_id FROM account WHERE scan_id = ? ORDER BY position
            """, arguments: [scan]).map { Account(id: $0[0], name: $0[1], email: $0[2], status: $0[3], parentId: $0[4]) }
    }

    /// The account×region's own images, or (`referenced`) those its workloads reference.
    func images(referenced: Bool = false) throws -> [Image] {
        var (narrow, arguments) = filter("i")
        // Only account×regions whose batch is recorded: rows written before it are pending.
        narrow += " AND i.referenced = ? AND \(Self.recorded("i"))"
        arguments += [referenced]
        let devices = try children(sql: """
            SELECT c.image_row, c.device_name, c.virtual_name, c.snapshot_id, c.volume_size, c.volume_type,
                   c.encrypted, c.kms_key_id, c.delete_on_termination
            FROM image i JOIN block_device c ON c.image_row = i.id
            WHERE i.scan_id = ?\(narrow) ORDER BY i.id, c.position
            """, arguments) { BlockDevice(deviceName: $0[1], virtualName: $0[2], snapshotId: $0[3], volumeSize: $0[4],
                               volumeType: $0[5], encrypted: $0[6], kmsKeyId: $0[7], deleteOnTermination: $0[8]) }
        let tags = try children(sql: """
            SELECT c.image_row, c.key, c.value FROM image i JOIN image_tag c ON c.image_row = i.id
            WHERE i.scan_id = ?\(narrow) ORDER BY i.id, c.position
            """, arguments) { Tag($0[1], $0[2]) }
        let permissions = try children(sql: """
            SELECT c.image_row, c.kind, c.value FROM image i JOIN launch_permission c ON c.image_row = i.id
            WHERE i.scan_id = ?\(narrow) ORDER BY i.id, c.position
            """, arguments, permission)

        var images: [Image] = []
        let rows = try cursor(sql: """
            SELECT id, account_id, region, image_id, name, description, owner_id, owner_alias, creation_date,
                   deprecation_time, state, is_public, virtualization_type, architecture, image_type,
                   root_device_type, root_device_name, boot_mode, imds_support, tpm_support, ena_support,
                   platform, platform_details, usage_operation, source_image_id, source_image_region,
                   deregistration_protection, last_launched_time, launch_permissions_collected, instance_count,
                   launch_template_count
            FROM image i WHERE scan_id = ?\(narrow) ORDER BY id
            """, arguments: arguments)
        while let r = try rows.next() {
            let id: Int64 = r[0]
            let permissionsCollected: Bool = r[28]
            images.append(Image(
                accountId: r[1], region: r[2], imageId: r[3], name: r[4], description: r[5], ownerId: r[6],
                ownerAlias: r[7], creationDate: Date(unixSeconds: r[8] as Double?),
                deprecationTime: Date(unixSeconds: r[9] as Double?), state: r[10], isPublic: r[11],
                virtualizationType: r[12], architecture: r[13], imageType: r[14], rootDeviceType: r[15],
                rootDeviceName: r[16], bootMode: r[17], imdsSupport: r[18], tpmSupport: r[19],
                enaSupport: r[20], platform: r[21], platformDetails: r[22], usageOperation: r[23],
                sourceImageId: r[24], sourceImageRegion: r[25], deregistrationProtection: r[26],
                lastLaunchedTime: Date(unixSeconds: r[27] as Double?), tags: tags[id] ?? [],
                blockDevices: devices[id] ?? [],
                launchPermissions: permissionsCollected ? permissions[id] ?? [] : nil, instanceCount: r[29], launchTemplateCount: r[30]))
        }
        return images
    }

    func snapshots() throws -> [Snapshot] {
        let (narrow, arguments) = filter("s")
        let permissions = try children(sql: """
            SELECT c.snapshot_row, c.kind, c.value FROM snapshot s JOIN snapshot_permission c ON c.snapshot_row = s.id
            WHERE s.scan_id = ?\(narrow) ORDER BY s.id, c.position
            """, arguments, permission)
        return try all(sql: """
            SELECT id, account_id, region, snapshot_id, owner_id, encrypted, kms_key_id, volume_size, start_time,
                   permissions_collected
            FROM snapshot s WHERE scan_id = ?\(narrow) ORDER BY id
            """, arguments: arguments).map { r in
            let permissionsCollected: Bool = r[9]
            return Snapshot(accountId: r[1], region: r[2], snapshotId: r[3], ownerId: r[4], encrypted: r[5],
                            kmsKeyId: r[6], volumeSize: r[7], startTime: Date(unixSeconds: r[8] as Double?),
                            createVolumePermissions: permissionsCollected ? permissions[r[0]] ?? [] : nil)
        }
    }

    func regionSettings() throws -> [RegionSettings] {
        let (narrow, arguments) = filter("r")
        return try all(sql: """
            SELECT account_id, region, image_block_public_access, snapshot_block_public_access,
                   ebs_encryption_by_default, allowed_images_state, allowed_image_criteria, allowed_images_managed_by
            FROM region_settings r WHERE scan_id = ?\(narrow) ORDER BY rowid
            """, arguments: arguments).map {
            RegionSettings(accountId: $0[0], region: $0[1], imageBlockPublicAccess: $0[2],
                           snapshotBlockPublicAccess: $0[3], ebsEncryptionByDefault: $0[4], allowedImagesState: $0[5],
                           allowedImageCriteria: try allowedImageCriteria($0[6]), allowedImagesManagedBy: $0[7])
        }
    }

    func coverage() throws -> [RegionCoverage] {
        let (narrow, arguments) = filter("c")
        return try all(sql: """
            SELECT account_id, region, status, reason, image_count FROM coverage c WHERE scan_id = ?\(narrow)
            ORDER BY rowid
            """, arguments: arguments).map { r in
            let statusName: String = r[2]
            guard let status = RegionCoverage.Status(rawValue: statusName) else {
                throw fail("unknown coverage status '\(statusName)'")
            }
            return RegionCoverage(accountId: r[0], region: r[1], status: status, reason: r[3], imageCount: r[4])
        }
    }

    func errors() throws -> [ScanError] {
        let (narrow, arguments) = filter("e")
        return try all(sql: """
            SELECT account_id, region, operation, code, message, image_id FROM scan_error e WHERE scan_id = ?\(narrow) ORDER BY id
            """, arguments: arguments).map {
            ScanError(accountId: $0[0], region: $0[1], operation: $0[2], code: $0[3], message: $0[4], imageId: $0[5])
        }
    }

    /// A query of this reader. Each runs once per account×region with the same text, so it is
    /// prepared once per connection (GRDB's statement cache), not once per region: preparing
    /// was about a quarter of reading a 32,000-image scan back (perf, 2026-12-03). Every query
    /// here is read to its end before the next one starts, which a cached statement needs.
    func cursor(sql: String, arguments: StatementArguments) throws -> RowCursor {
        try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func all(sql: String, arguments: StatementArguments) throws -> [Row] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// Rows of a child table grouped by their parent's row id (column 0), in position order.
    private func children<T>(sql: String, _ arguments: StatementArguments,
                             _ decode: (Row) throws -> T) throws -> [Int64: [T]] {
        var grouped: [Int64: [T]] = [:]
        let rows = try cursor(sql: sql, arguments: arguments)
        while let row = try rows.next() {
            grouped[row[0] as Int64, default: []].append(try decode(row))
        }
        return grouped
    }

    private func permission(_ row: Row) throws -> LaunchPermission {
        let kind: String = row[1], value: String = row[2]
        guard let permission = LaunchPermission(kind: kind, value: value) else {
            throw fail("unknown permission kind '\(kind)' with value '\(value)'")
        }
        return permission
    }
}
