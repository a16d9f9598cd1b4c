import AmigoCore
import Foundation
import GRDB

extension Catalog {
    /// Writes one account×region in one transaction: all of it, or (on any error) none of it.
    /// Each account×region is written once per scan; a second write is refused.
    public func record(_ batch: RegionBatch, scan: Int64) throws {
        let operation = "recording account \(batch.accountId) region \(batch.region) of scan \(scan)"
        if let problem = batch.inconsistency { throw failure(operation, problem) }
        try write(operation) { db in
            try requireRunning(db, scan: scan, operation)
            // Coverage first: its primary key turns a repeated account×region into a clear error
            // before any image is written.
            try insert(coverage: batch.coverage, scan: scan, db)
            try Self.deletePending(of: batch.coverage, scan: scan, keeping: batch.staged?.catalogueRows, db)
            let writer = try InventoryWriter(db, scan: scan)
            // The images carried come first in the listing, the staged ones after them.
            for image in batch.images { try writer.insert(image) }
            switch batch.staged?.place {
            case .staging?: try moveStaged(batch.staged!, of: batch, scan: scan, db, operation)
            case .catalogue(let firstRow)?: try completePrewritten(batch.staged!, firstRow: firstRow, of: batch,
                                                                   scan: scan, db, operation)
            case nil: break
            }
            for snapshot in batch.snapshots { try writer.insert(snapshot) }
            if let settings = batch.settings { try writer.insert(settings) }
            try writer.insertWorkloads(of: batch)
            try insert(errors: batch.errors, scan: scan, db)
        }
    }

    /// The organization and accounts of a scan; a second call replaces the first.
    public func record(organization: Organization?, accounts: [Account], scan: Int64) throws {
        let operation = "recording the accounts of scan \(scan)"
        try write(operation) { db in
            try requireRunning(db, scan: scan, operation)
            try db.execute(sql: "DELETE FROM organization WHERE scan_id = ?", arguments: [scan])
            try db.execute(sql: "DELETE FROM account WHERE scan_id = ?", arguments: [scan])
            if let organization {
                try db.execute(sql: """
                    INSERT INTO organization (scan_id, organization_id, arn, management_account_id)
                    VALUES (?, ?, ?, ?)
                    """, arguments: [scan, organization.id, organization.arn, organization.managementAccountId])
                let member = try db.cachedStatement(sql:
                    "INSERT INTO organization_member (scan_id, account_id) VALUES (?, ?)")
                for id in organization.memberAccountIds.sorted() { try member.execute(arguments: [scan, id]) }
            }
            let account = try db.cachedStatement(sql: """
                INSERT INTO account (scan_id, position, account_id, name, email, status, parent_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for (position, a) in accounts.enumerated() {
                try account.execute(arguments: [scan, position, a.id, a.name, a.email, a.status, a.parentId])
            }
        }
    }

    /// Failures outside any region batch, such as an account whose role could not be assumed.
    public func record(errors: [ScanError], scan: Int64) throws {
        let operation = "recording \(errors.count) scan errors of scan \(scan)"
        try write(operation) { db in
            try requireRunning(db, scan: scan, operation)
            try insert(errors: errors, scan: scan, db)
        }
    }

    /// The coverage of an account×region that has no batch (skipped, or its account failed).
    public func record(coverage: RegionCoverage, scan: Int64) throws {
        let operation = "recording coverage of account \(coverage.accountId) region \(coverage.region) of scan \(scan)"
        try write(operation) { db in
            try requireRunning(db, scan: scan, operation)
            try insert(coverage: coverage, scan: scan, db)
            try Self.deletePending(of: coverage, scan: scan, keeping: nil, db)
        }
    }

    private func insert(coverage: RegionCoverage, scan: Int64, _ db: Database) throws {
        let exists = try Bool.fetchOne(db, sql: """
            SELECT 1 FROM coverage WHERE scan_id = ? AND account_id = ? AND region = ?
            """, arguments: [scan, coverage.accountId, coverage.region]) ?? false
        if exists {
            throw failure("recording account \(coverage.accountId) region \(coverage.region) of scan \(scan)",
                          "this account×region was already recorded in this scan")
        }
        try db.execute(sql: """
            INSERT INTO coverage (scan_id, account_id, region, status, reason, image_count)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [scan, coverage.accountId, coverage.region, coverage.status.rawValue,
                             coverage.reason, coverage.imageCount])
    }

    private func insert(errors: [ScanError], scan: Int64, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO scan_error (scan_id, account_id, region, operation, code, message, image_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for e in errors {
            try statement.execute(arguments: [scan, e.accountId, e.region, e.operation, e.code, e.message, e.imageId])
        }
    }
}

/// Prepared inserts for one batch's rows: prepared once, run per row with bound values.
/// Images go to the scan's tables, or to the staging area (`ImageTables.staging`) where an
/// account×region's images wait for its batch.
struct InventoryWriter {
    let db: Database
    let scan: Int64
    let image, blockDevice, tag, snapshot, snapshotPermission, settings: RowInsert
    /// nil when staging: an image's grants come with its follow-up, after its page.
    let launchPermission: RowInsert?

    /// The image columns a batch writes, in the order `insert(_:)` binds them.
    static let imageColumns = [
        "scan_id", "account_id", "region", "image_id", "name", "description", "owner_id", "owner_alias",
        "creation_date", "deprecation_time", "state", "is_public", "virtualization_type", "architecture",
        "image_type", "root_device_type", "root_device_name", "boot_mode", "imds_support", "tpm_support",
        "ena_support", "platform", "platform_details", "usage_operation", "source_image_id",
        "source_image_region", "deregistration_protection", "last_launched_time",
        "launch_permissions_collected", "instance_count", "launch_template_count",
    ]
    /// After `image_row, position`.
    static let blockDeviceColumns = ["device_name", "virtual_name", "snapshot_id", "volume_size", "volume_type",
                                     "encrypted", "kms_key_id", "delete_on_termination"]
    static let tagColumns = ["key", "value"]

    init(_ db: Database, scan: Int64, tables: ImageTables = .catalogue) throws {
        self.db = db
        self.scan = scan
        image = try RowInsert(db, into: tables.image, columns: tables.imagePrefix + Self.imageColumns)
        blockDevice = try RowInsert(db, into: tables.blockDevice, columns: ["image_row", "position"] + Self.blockDeviceColumns)
        tag = try RowInsert(db, into: tables.tag, columns: ["image_row", "position"] + Self.tagColumns)
        launchPermission = try tables.launchPermission.map {
            try RowInsert(db, into: $0, columns: ["image_row", "position", "kind", "value"])
        }
        snapshot = try RowInsert(db, into: "snapshot", columns: [
            "scan_id", "account_id", "region", "snapshot_id", "owner_id", "encrypted", "kms_key_id",
            "volume_size", "start_time", "permissions_collected"])
        snapshotPermission = try RowInsert(db, into: "snapshot_permission",
                                           columns: ["snapshot_row", "position", "kind", "value"])
        settings = try RowInsert(db, into: "region_settings", columns: [
            "scan_id", "account_id", "region", "image_block_public_access", "snapshot_block_public_access",
            "ebs_encryption_by_default", "allowed_images_state"])
    }

    /// `stage` and `position` bind `ImageTables.imagePrefix`: given when staging, nil otherwise.
    /// Returns the image's row id.
    @discardableResult
    func insert(_ i: Image, stage: (key: Int64, position: Int)? = nil) throws -> Int64 {
        let row = try image.run { v in
            if let stage {
                v.add(stage.key)
                v.add(stage.position)
            }
            v.add(scan); v.add(i.accountId); v.add(i.region); v.add(i.imageId); v.add(i.name)
            v.add(i.description); v.add(i.ownerId); v.add(i.ownerAlias); v.add(i.creationDate.unixSeconds)
            v.add(i.deprecationTime.unixSeconds); v.add(i.state); v.add(i.isPublic); v.add(i.virtualizationType)
            v.add(i.architecture); v.add(i.imageType); v.add(i.rootDeviceType); v.add(i.rootDeviceName)
            v.add(i.bootMode); v.add(i.imdsSupport); v.add(i.tpmSupport); v.add(i.enaSupport); v.add(i.platform)
            v.add(i.platformDetails); v.add(i.usageOperation); v.add(i.sourceImageId); v.add(i.sourceImageRegion)
            v.add(i.deregistrationProtection); v.add(i.lastLaunchedTime.unixSeconds)
            v.add(i.launchPermissions != nil); v.add(i.instanceCount); v.add(i.launchTemplateCount)
        }
        for (position, d) in i.blockDevices.enumerated() {
            try blockDevice.run { v in
                v.add(row); v.add(position); v.add(d.deviceName); v.add(d.virtualName); v.add(d.snapshotId)
                v.add(d.volumeSize); v.add(d.volumeType); v.add(d.encrypted); v.add(d.kmsKeyId)
                v.add(d.deleteOnTermination)
            }
        }
        for (position, t) in i.tags.enumerated() {
            try tag.run { v in v.add(row); v.add(position); v.add(t.key); v.add(t.value) }
        }
        if let launchPermission {
            for (position, p) in (i.launchPermissions ?? []).enumerated() {
                try launchPermission.run { v in v.add(row); v.add(position); v.add(p.kind); v.add(p.value) }
            }
        }
        return row
    }

    func insert(_ s: Snapshot) throws {
        let row = try snapshot.run { v in
            v.add(scan); v.add(s.accountId); v.add(s.region); v.add(s.snapshotId); v.add(s.ownerId)
            v.add(s.encrypted); v.add(s.kmsKeyId); v.add(s.volumeSize); v.add(s.startTime.unixSeconds)
            v.add(s.createVolumePermissions != nil)
        }
        for (position, p) in (s.createVolumePermissions ?? []).enumerated() {
            try snapshotPermission.run { v in v.add(row); v.add(position); v.add(p.kind); v.add(p.value) }
        }
    }

    func insert(_ s: RegionSettings) throws {
        try settings.run { v in
            v.add(scan); v.add(s.accountId); v.add(s.region); v.add(s.imageBlockPublicAccess)
            v.add(s.snapshotBlockPublicAccess); v.add(s.ebsEncryptionByDefault); v.add(s.allowedImagesState)
        }
    }
}
