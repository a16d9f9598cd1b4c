import AmigoCore
import GRDB

/// Which tables an `InventoryWriter` writes images to.
struct ImageTables {
    let image, blockDevice, tag: String
    let launchPermission: String?
    /// Columns bound before the image's own.
    let imagePrefix: [String]

    static let catalogue = ImageTables(image: "image", blockDevice: "block_device", tag: "image_tag",
                                       launchPermission: "launch_permission", imagePrefix: [])
    static let staging = ImageTables(image: "temp.staged_image", blockDevice: "temp.staged_block_device",
                                     tag: "temp.staged_image_tag", launchPermission: nil,
                                     imagePrefix: ["stage", "position"])
}

/// The staging area: an account×region's images, written page by page while the region is
/// collected, and moved into the scan with the region's batch, in its one transaction.
///
/// The tables are temporary (the writer connection's own): images staged and never moved
/// (a run killed, a region cut short) vanish with the connection and are never part of a
/// scan. SQLite keeps them in a temporary file, not in memory (`temp_store = FILE`).
extension Catalog {
    /// A key for one account×region's stage, unique in this catalogue value.
    public func newStage() -> Int64 { stageKeys.add(1, ordering: .relaxed).newValue }

    /// Stages one page of images at positions `position`, `position + 1`, … of its stage.
    public func stage(_ images: [Image], stage: Int64, from position: Int, scan: Int64) throws {
        try write("staging \(images.count) images of stage \(stage) of scan \(scan)") { db in
            try Self.createStagingTables(db)
            let writer = try InventoryWriter(db, scan: scan, tables: .staging)
            for (offset, image) in images.enumerated() {
                try writer.insert(image, stage: (stage, position + offset))
            }
        }
    }

    /// Drops a stage's images (its account×region failed, or will not be recorded).
    public func discardStage(_ stage: Int64) throws {
        try write("discarding stage \(stage)") { db in
            try Self.createStagingTables(db)
            try Self.deleteStage(stage, db)
        }
    }

    private static func createStagingTables(_ db: Database) throws {
        let image = InventoryWriter.imageColumns.joined(separator: ", ")
        let device = InventoryWriter.blockDeviceColumns.joined(separator: ", ")
        let tag = InventoryWriter.tagColumns.joined(separator: ", ")
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS staged_image (row INTEGER PRIMARY KEY, stage INTEGER NOT NULL,
                position INTEGER NOT NULL, \(image), UNIQUE (stage, position));
            CREATE TEMP TABLE IF NOT EXISTS staged_block_device (image_row INTEGER NOT NULL, position INTEGER NOT NULL,
                \(device), PRIMARY KEY (image_row, position)) WITHOUT ROWID;
            CREATE TEMP TABLE IF NOT EXISTS staged_image_tag (image_row INTEGER NOT NULL, position INTEGER NOT NULL,
                \(tag), PRIMARY KEY (image_row, position)) WITHOUT ROWID;
            """)
    }

    private static func deleteStage(_ stage: Int64, _ db: Database) throws {
        for child in ["staged_block_device", "staged_image_tag"] {
            try db.execute(sql: """
                DELETE FROM temp.\(child) WHERE image_row IN (SELECT row FROM temp.staged_image WHERE stage = ?)
                """, arguments: [stage])
        }
        try db.execute(sql: "DELETE FROM temp.staged_image WHERE stage = ?", arguments: [stage])
    }

    /// Moves a batch's staged images into the scan, with their follow-ups, inside the batch's
    /// transaction. Refuses a stage that does not hold exactly the batch's images.
    func moveStaged(_ staged: StagedImages, of batch: RegionBatch, scan: Int64, _ db: Database,
                    _ operation: String) throws {
        if let problem = staged.failure { throw failure(operation, "its images could not be staged: \(problem)") }
        try Self.createStagingTables(db)
        let counts = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE account_id = ? AND region = ? AND scan_id = ?) AS here,
                   COALESCE(MIN(position), 0) AS first, COALESCE(MAX(position), -1) AS last
            FROM temp.staged_image WHERE stage = ?
            """, arguments: [batch.accountId, batch.region, scan, staged.stage])
        let n: Int = counts?["n"] ?? 0, here: Int = counts?["here"] ?? 0
        let first: Int = counts?["first"] ?? 0, last: Int = counts?["last"] ?? -1
        let expected = staged.followUps.count
        guard n == expected, here == n, first == 0, last == n - 1 else {
            throw failure(operation, here != n ? "\(n - here) staged images belong to another account×region or scan"
                                               : "the stage holds \(n) images at positions \(first)…\(last), the batch lists \(expected)")
        }
        let base = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM image") ?? 0
        let common = staged.followUps.common
        let learned = ["launch_permissions_collected", "instance_count", "launch_template_count"]
        let columns = InventoryWriter.imageColumns
        let selected = columns.map { learned.contains($0) ? "?" : $0 }
        try db.execute(sql: """
            INSERT INTO image (id, \(columns.joined(separator: ", ")))
            SELECT ? + position + 1, \(selected.joined(separator: ", ")) FROM temp.staged_image WHERE stage = ?
            """, arguments: [base, common.launchPermissions != nil, common.instanceCount, common.launchTemplateCount,
                             staged.stage])
        for (table, staging, names) in [("block_device", "staged_block_device", InventoryWriter.blockDeviceColumns),
                                        ("image_tag", "staged_image_tag", InventoryWriter.tagColumns)] {
            let list = names.joined(separator: ", ")
            try db.execute(sql: """
                INSERT INTO \(table) (image_row, position, \(list))
                SELECT ? + s.position + 1, c.position, \(names.map { "c.\($0)" }.joined(separator: ", "))
                FROM temp.\(staging) c JOIN temp.staged_image s ON s.row = c.image_row WHERE s.stage = ?
                """, arguments: [base, staged.stage])
        }

        try Self.applyOwnFollowUps(staged.followUps, firstRow: base + 1, db)
        try Self.deleteStage(staged.stage, db)
    }

    /// What the per-image calls learned that the rows from `firstRow` on do not have yet: the
    /// follow-ups of the images that differ from the common one, and every launch permission
    /// granted. The common follow-up is the caller's to write.
    static func applyOwnFollowUps(_ followUps: ImageFollowUps, firstRow: Int64, _ db: Database) throws {
        let update = try db.cachedStatement(sql: """
            UPDATE image SET launch_permissions_collected = ?, instance_count = ?, launch_template_count = ?,
                last_launched_time = COALESCE(?, last_launched_time) WHERE id = ?
            """)
        for (position, own) in followUps.exceptions {
            try update.execute(arguments: [own.launchPermissions != nil, own.instanceCount, own.launchTemplateCount,
                                           own.lastLaunchedTime.unixSeconds, firstRow + Int64(position)])
        }
        let permission = try db.cachedStatement(sql:
            "INSERT INTO launch_permission (image_row, position, kind, value) VALUES (?, ?, ?, ?)")
        let granting = followUps.common.launchPermissions?.isEmpty == false
            ? Array(0..<followUps.count) : followUps.exceptions.keys.sorted()
        for position in granting {
            for (index, p) in (followUps[position].launchPermissions ?? []).enumerated() {
                try permission.execute(arguments: [firstRow + Int64(position), index, p.kind, p.value])
            }
        }
    }
}
