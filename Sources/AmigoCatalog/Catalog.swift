import AmigoCore
import Foundation
import GRDB
import Synchronization

/// amigo's SQLite catalogue: every scan's inventory and findings, history kept.
///
/// A scan is a row that stays `running` until `finishScan`; each account×region is written in
/// its own transaction, so a crash loses at most the batch being written, never an earlier
/// batch or an earlier scan. Scans are never overwritten: once finished, their inventory is
/// read-only; each `amigo evaluate` adds an evaluation beside the earlier ones.
///
/// Times are stored as REAL Unix seconds (UTC): whole seconds round-trip exactly, fractions
/// to within a microsecond.
public final class Catalog: Sendable {
    /// The schema version this build writes; stored in every scan row.
    public static let schemaVersion = Schema.version

    /// The catalogue file, or `:memory:`.
    public let path: String
    let writer: any DatabaseWriter
    let stageKeys = Atomic<Int64>(0)

    /// Opens (creating it and its parent directory if needed) the catalogue at `path`, in WAL
    /// mode, and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            writer = try DatabasePool(path: path, configuration: Self.configuration)
        } catch {
            throw CatalogError.wrapping(error, path: path, operation: "opening")
        }
        try migrate()
    }

    /// A catalogue that lives as long as the value: for tests and `--no-catalogue` runs.
    public static func inMemory() throws -> Catalog {
        do {
            return try Catalog(path: ":memory:", writer: DatabaseQueue(configuration: configuration))
        } catch {
            throw CatalogError.wrapping(error, path: ":memory:", operation: "opening")
        }
    }

    private init(path: String, writer: any DatabaseWriter) throws {
        self.path = path
        self.writer = writer
        try migrate()
    }

    private static var configuration: Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        // `amigo evaluate` may read while `amigo collect` writes: wait rather than fail at once.
        config.busyMode = .timeout(10)
        config.label = "amigo-catalog"
        config.prepareDatabase { db in
            // In WAL mode NORMAL keeps the file consistent after any crash; only a power loss can
            // drop the last committed batches, which a re-scan restores.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // No memory map and a 16 MiB page cache per connection: a mapped catalogue's pages
            // count as the process's memory, and a 1,000,000-image catalogue is ~800 MB, so a
            // scan's peak would grow with the organisation (the kernel's page cache still
            // keeps the file's hot pages without counting them against amigo).
            try db.execute(sql: "PRAGMA mmap_size = 0")
            try db.execute(sql: "PRAGMA cache_size = -16384")
            // Staged images (`Catalog+Staging`) wait on disk, never in memory; their
            // transactions' rollback journal is in memory (a page's worth at a time), since a
            // journal file would write every staged page a second time.
            try db.execute(sql: "PRAGMA temp_store = FILE")
            try db.execute(sql: "PRAGMA temp.journal_mode = MEMORY")
        }
        return config
    }

    private func migrate() throws {
        let migrator = Schema.migrator
        try write("migrating the schema") { db in
            if try migrator.hasBeenSuperseded(db) {
                throw CatalogError(path: path, operation: "migrating the schema",
                                   reason: "the catalogue was written by a newer amigo (schema after v\(Schema.version))")
            }
        }
        do {
            try migrator.migrate(writer)
        } catch {
            throw CatalogError.wrapping(error, path: path, operation: "migrating the schema")
        }
    }

    // MARK: - Transactions that name what failed

    func write<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch {
            throw CatalogError.wrapping(error, path: path, operation: operation())
        }
    }

    func read<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch {
            throw CatalogError.wrapping(error, path: path, operation: operation())
        }
    }

    func failure(_ operation: String, _ reason: String) -> CatalogError {
        CatalogError(path: path, operation: operation, reason: reason)
    }

    /// Refuses writes into a scan that does not exist or is already finished.
    func requireRunning(_ db: Database, scan: Int64, _ operation: String) throws {
        let status = try String.fetchOne(db, sql: "SELECT status FROM scan WHERE id = ?", arguments: [scan])
        guard let status else { throw failure(operation, "there is no scan \(scan)") }
        guard status == ScanStatus.running.rawValue else {
            throw failure(operation, "scan \(scan) is already finished (\(status)); scans are never overwritten")
        }
    }
}
