import AmigoCore
import Foundation
import GRDB

/// Workloads, the images they reference, and the Allowed AMIs criteria: written with the rest
/// of a `RegionBatch` (one transaction) and read back per scan, per region, or per image.
extension Catalog {
    /// Every workload of a scan, in recording order.
    public func workloads(scan: Int64) throws -> [Workload] {
        let operation = "reading the workloads of scan \(scan)"
        return try read(operation) { db in
            try InventoryReader(db: db, scan: scan, fail: { self.failure(operation, $0) }).workloads()
        }
    }

    /// The workloads of a scan that use `image` (through `workload_by_image`).
    public func workloads(scan: Int64, usingImage image: String) throws -> [Workload] {
        let operation = "reading the workloads of scan \(scan) that use \(image)"
        return try read(operation) { db in
            try InventoryReader(db: db, scan: scan, fail: { self.failure(operation, $0) }).workloads(usingImage: image)
        }
    }

    /// Every referenced image of a scan (found or not), in recording order.
    public func referencedImages(scan: Int64) throws -> [ReferencedImage] {
        let operation = "reading the referenced images of scan \(scan)"
        return try read(operation) { db in
            try InventoryReader(db: db, scan: scan, fail: { self.failure(operation, $0) }).referencedImages()
        }
    }

    /// Across the whole scan (every account and region): per image id, how many distinct
    /// instances, launch templates, groups, configurations and parameters use it, and in which
    /// accounts. An image no workload names has no entry. Agrees with `ImageUsage.tally`.
    public func imageUsage(scan: Int64) throws -> [String: ImageUsage] {
        let operation = "reading the image usage of scan \(scan)"
        return try read(operation) { db in
            var usage: [String: ImageUsage] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT image_id, kind, COUNT(DISTINCT account_id || '/' || region || '/' || resource_id),
                       GROUP_CONCAT(DISTINCT account_id)
                FROM workload WHERE scan_id = ? AND image_id IS NOT NULL GROUP BY image_id, kind
                """, arguments: [scan])
            while let row = try rows.next() {
                let image: String = row[0], kindName: String = row[1], count: Int = row[2]
                let accounts = (row[3] as String? ?? "").split(separator: ",").map(String.init)
                guard let kind = Workload.Kind(rawValue: kindName) else {
                    throw self.failure(operation, "unknown workload kind '\(kindName)'")
                }
                var entry = usage[image] ?? ImageUsage(imageId: image, instances: 0, launchTemplates: 0,
                                                       autoScalingGroups: 0, launchConfigurations: 0,
                                                       ssmParameters: 0, accounts: [])
                switch kind {
                case .instance: entry.instances = count
                case .launchTemplate: entry.launchTemplates = count
                case .autoScalingGroup: entry.autoScalingGroups = count
                case .launchConfiguration: entry.launchConfigurations = count
                case .ssmParameter: entry.ssmParameters = count
                }
                entry.accounts = Set(entry.accounts + accounts).sorted()
                usage[image] = entry
            }
            return usage
        }
    }
}

extension InventoryWriter {
    /// The batch's workloads, referenced images and Allowed AMIs criteria; called inside
    /// `record(_:scan:)`'s transaction after the owned images and settings.
    func insertWorkloads(of batch: RegionBatch) throws {
        let workload = try db.cachedStatement(sql: """
            INSERT INTO workload (scan_id, account_id, region, kind, resource_id, name, state, launch_time,
                image_id, via, metadata_image_id, metadata_name, metadata_owner_id, metadata_owner_alias,
                metadata_state, metadata_creation_date, metadata_deprecation_time, metadata_is_public,
                metadata_image_allowed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let tag = try db.cachedStatement(sql:
            "INSERT INTO workload_tag (workload_row, position, key, value) VALUES (?, ?, ?, ?)")
        for w in batch.workloads {
            let m = w.imageMetadata
            try workload.execute(arguments: [
                scan, w.accountId, w.region, w.kind.rawValue, w.resourceId, w.name, w.state,
                w.launchTime.unixSeconds, w.imageId, w.via, m?.imageId, m?.name, m?.ownerId, m?.ownerAlias,
                m?.state, m?.creationDate.unixSeconds, m?.deprecationTime.unixSeconds, m?.isPublic, m?.imageAllowed,
            ])
            let row = db.lastInsertedRowID
            for (position, t) in w.tags.enumerated() { try tag.execute(arguments: [row, position, t.key, t.value]) }
        }

        let referenced = try db.cachedStatement(sql: """
            INSERT INTO referenced_image (scan_id, account_id, region, image_id, found) VALUES (?, ?, ?, ?, ?)
            """)
        let flag = try db.cachedStatement(sql: """
            UPDATE image SET referenced = 1 WHERE scan_id = ? AND account_id = ? AND region = ? AND image_id = ?
            """)
        for r in batch.referencedImages {
            if let image = r.image {
                guard image.imageId == r.imageId, image.accountId == r.accountId, image.region == r.region else {
                    throw DatabaseError(message: "referenced image \(r.imageId) holds image \(image.imageId) of account \(image.accountId) region \(image.region)")
                }
                try insert(image)
                try flag.execute(arguments: [scan, r.accountId, r.region, r.imageId])
            }
            try referenced.execute(arguments: [scan, r.accountId, r.region, r.imageId, r.image != nil])
        }

        if let settings = batch.settings, settings.allowedImageCriteria != nil || settings.allowedImagesManagedBy != nil {
            try db.execute(sql: """
                UPDATE region_settings SET allowed_image_criteria = ?, allowed_images_managed_by = ?
                WHERE scan_id = ? AND account_id = ? AND region = ?
                """, arguments: [try settings.allowedImageCriteria.map(AllowedImageCriteriaColumn.encode),
                                 settings.allowedImagesManagedBy, scan, settings.accountId, settings.region])
        }
    }
}

/// `region_settings.allowed_image_criteria`: the criteria as JSON, keys sorted.
enum AllowedImageCriteriaColumn {
    static func encode(_ criteria: [ImageCriterion]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(criteria), as: UTF8.self)
    }

    static func decode(_ text: String?) throws -> [ImageCriterion]? {
        guard let text else { return nil }
        return try JSONDecoder().decode([ImageCriterion].self, from: Data(text.utf8))
    }
}

extension InventoryReader {
    func workloads() throws -> [Workload] {
        let (narrow, arguments) = workloadFilter()
        return try workloads(where: narrow, arguments)
    }

    func workloads(usingImage image: String) throws -> [Workload] {
        try workloads(where: " AND w.image_id = ?", [scan, image])
    }

    private func workloadFilter() -> (String, StatementArguments) {
        guard let only else { return ("", [scan]) }
        return (" AND w.account_id = ? AND w.region = ?", [scan, only.accountId, only.region])
    }

    private func workloads(where narrow: String, _ arguments: StatementArguments) throws -> [Workload] {
        var tags: [Int64: [Tag]] = [:]
        let tagRows = try cursor(sql: """
            SELECT c.workload_row, c.key, c.value FROM workload w JOIN workload_tag c ON c.workload_row = w.id
            WHERE w.scan_id = ?\(narrow) ORDER BY w.id, c.position
            """, arguments: arguments)
        while let row = try tagRows.next() { tags[row[0], default: []].append(Tag(row[1], row[2])) }

        var workloads: [Workload] = []
        let rows = try cursor(sql: """
            SELECT id, account_id, region, kind, resource_id, name, state, launch_time, image_id, via,
                   metadata_image_id, metadata_name, metadata_owner_id, metadata_owner_alias, metadata_state,
                   metadata_creation_date, metadata_deprecation_time, metadata_is_public, metadata_image_allowed
            FROM workload w WHERE w.scan_id = ?\(narrow) ORDER BY w.id
            """, arguments: arguments)
        while let r = try rows.next() {
            let kindName: String = r[3]
            guard let kind = Workload.Kind(rawValue: kindName) else { throw fail("unknown workload kind '\(kindName)'") }
            let metadata = (r[10] as String?).map {
                ImageMetadata(imageId: $0, name: r[11], ownerId: r[12], ownerAlias: r[13], state: r[14],
                              creationDate: Date(unixSeconds: r[15] as Double?),
                              deprecationTime: Date(unixSeconds: r[16] as Double?), isPublic: r[17], imageAllowed: r[18])
            }
            workloads.append(Workload(accountId: r[1], region: r[2], kind: kind, resourceId: r[4], name: r[5],
                                      state: r[6], launchTime: Date(unixSeconds: r[7] as Double?),
                                      tags: tags[r[0]] ?? [], imageId: r[8], via: r[9], imageMetadata: metadata))
        }
        return workloads
    }

    /// Found ones carry their image (read like an owned image), the rest nil.
    func referencedImages() throws -> [ReferencedImage] {
        var found: [String: Image] = [:]
        for image in try images(referenced: true) { found["\(image.accountId)/\(image.region)/\(image.imageId)"] = image }
        var narrow = "", arguments: StatementArguments = [scan]
        if let only { narrow = " AND account_id = ? AND region = ?"; arguments = [scan, only.accountId, only.region] }
        return try all(sql: """
            SELECT account_id, region, image_id, found FROM referenced_image WHERE scan_id = ?\(narrow) ORDER BY rowid
            """, arguments: arguments).map { r in
            let key = "\(r[0] as String)/\(r[1] as String)/\(r[2] as String)"
            let wasFound: Bool = r[3]
            guard !wasFound || found[key] != nil else { throw fail("referenced image \(key) is marked found but has no image row") }
            return ReferencedImage(accountId: r[0], region: r[1], imageId: r[2], image: wasFound ? found[key] : nil)
        }
    }

    func allowedImageCriteria(_ text: String?) throws -> [ImageCriterion]? {
        do { return try AllowedImageCriteriaColumn.decode(text) } catch {
            throw fail("region_settings.allowed_image_criteria is not a list of image criteria: \(error)")
        }
    }
}
