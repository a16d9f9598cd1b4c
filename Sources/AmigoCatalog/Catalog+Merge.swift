import AmigoCore
import Foundation
import GRDB

extension Catalog {
    /// Copies what scan `source` of the catalogue at `path` read (images and their children,
    /// snapshots, region settings, coverage, scan errors; with `withAccounts`, the organisation
    /// and accounts too) into the running scan `target`, in one transaction: a shard is merged
    /// whole or not at all. Both files must be at this build's schema (open `path` as a
    /// `Catalog` first). Columns are read from the schema, so later migrations' columns come along.
    public func copyShard(from path: String, scan source: Int64, into target: Int64, withAccounts: Bool) throws {
        let operation = "merging scan \(source) of \(path) into scan \(target)"
        do {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS shard", arguments: [path])
                defer { try? db.execute(sql: "DETACH DATABASE shard") }
                try db.inTransaction {
                    try requireRunning(db, scan: target, operation)
                    try ShardCopy(db: db, source: source, target: target).run(withAccounts: withAccounts)
                    return .commit
                }
            }
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError.wrapping(error, path: self.path, operation: operation)
        }
    }
}

/// `INSERT … SELECT` from the attached shard, table by table, row ids shifted past this file's.
private struct ShardCopy {
    let db: Database
    let source: Int64
    let target: Int64

    func run(withAccounts: Bool) throws {
        if withAccounts {
            for table in ["organization", "organization_member", "account"] { try copy(table) }
        }
        try copyWithChildren("image", children: ["block_device", "image_tag", "launch_permission"], link: "image_row")
        try copyWithChildren("snapshot", children: ["snapshot_permission"], link: "snapshot_row")
        try copyWithChildren("workload", children: ["workload_tag"], link: "workload_row")
        for table in ["region_settings", "referenced_image", "coverage"] { try copy(table) }
        try copy("scan_error", omit: ["id"])
    }

    /// A table keyed by a row id that child tables point at: parent and children get the same shift.
    private func copyWithChildren(_ table: String, children: [String], link: String) throws {
        let shift = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM main.\(table)") ?? 0
        try copy(table, replacing: ["id": "id + \(shift)"])
        for child in children {
            try copy(child, replacing: [link: "\(link) + \(shift)"],
                     where: "\(link) IN (SELECT id FROM shard.\(table) WHERE scan_id = \(source))")
        }
    }

    private func copy(_ table: String, replacing: [String: String] = [:], omit: Set<String> = [],
                      where condition: String? = nil) throws {
        let columns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?, 'main')", arguments: [table])
            .map { $0[0] as String }.filter { !omit.contains($0) }
        var replacing = replacing
        if columns.contains("scan_id") { replacing["scan_id"] = "\(target)" }
        let selected = columns.map { replacing[$0] ?? $0 }.joined(separator: ", ")
        let filter = condition ?? "scan_id = \(source)"
        try db.execute(sql: "INSERT INTO main.\(table) (\(columns.joined(separator: ", "))) SELECT \(selected) FROM shard.\(table) WHERE \(filter)")
    }
}
