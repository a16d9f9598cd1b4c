import GRDB
import GRDBSQLite

/// An INSERT prepared once per batch whose values are bound straight to SQLite.
///
/// GRDB's `StatementArguments` box every value into an array of `DatabaseValue`s per row. An
/// image is about a hundred values across its rows, and that boxing cost more CPU than SQLite's
/// own insert (perf of an 8,000-image scan, 2026-12-03), so the hot rows skip it. The values are
/// stored as GRDB stores them: text, 64-bit integers, booleans as 0 and 1, doubles, NULL.
struct RowInsert {
    private let statement: Statement
    private let db: Database

    /// Not from GRDB's statement cache: a statement whose step failed may not be reused, and only
    /// GRDB's own execution path evicts it from the cache.
    init(_ db: Database, into table: String, columns: [String]) throws {
        self.db = db
        let marks = columns.map { _ in "?" }.joined(separator: ", ")
        statement = try db.makeStatement(sql:
            "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(marks))")
    }

    /// Binds the values `bind` adds, in column order, inserts the row and returns its row id.
    @discardableResult
    func run(_ bind: (inout RowValues) -> Void) throws -> Int64 {
        let handle = statement.sqliteStatement
        // Every row binds every parameter (checked below), so none needs clearing between rows.
        defer { sqlite3_reset(handle) }
        var values = RowValues(handle: handle)
        bind(&values)
        if let code = values.failure {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: "binding value \(values.count): \(lastMessage)", sql: statement.sql)
        }
        let expected = sqlite3_bind_parameter_count(handle)
        guard values.count == expected else {
            throw DatabaseError(message: "bound \(values.count) values for \(expected) columns", sql: statement.sql)
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: lastMessage, sql: statement.sql)
        }
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }

    private var lastMessage: String { String(cString: sqlite3_errmsg(db.sqliteConnection)) }
}

/// One row's values, bound in column order; the first failure is kept and ends the row.
struct RowValues {
    fileprivate let handle: OpaquePointer
    fileprivate(set) var count: Int32 = 0
    fileprivate(set) var failure: Int32?

    fileprivate init(handle: OpaquePointer) { self.handle = handle }

    /// SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private mutating func bind(_ body: (OpaquePointer, Int32) -> Int32) {
        guard failure == nil else { return }
        count += 1
        let code = body(handle, count)
        if code != SQLITE_OK { failure = code }
    }

    mutating func add(_ value: String?) {
        guard var value else { return bind { sqlite3_bind_null($0, $1) } }
        bind { handle, index in
            value.withUTF8 { bytes in
                // An empty buffer may have no address, which SQLite would store as NULL.
                guard let base = bytes.baseAddress, !bytes.isEmpty else {
                    return sqlite3_bind_text(handle, index, "", 0, Self.transient)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text64(handle, index, $0, UInt64(bytes.count), Self.transient, UInt8(SQLITE_UTF8))
                }
            }
        }
    }

    mutating func add(_ value: Int64?) {
        guard let value else { return bind { sqlite3_bind_null($0, $1) } }
        bind { sqlite3_bind_int64($0, $1, value) }
    }

    mutating func add(_ value: Int?) { add(value.map(Int64.init)) }

    mutating func add(_ value: Bool?) { add(value.map { $0 ? Int64(1) : 0 }) }

    mutating func add(_ value: Double?) {
        guard let value else { return bind { sqlite3_bind_null($0, $1) } }
        bind { sqlite3_bind_double($0, $1, value) }
    }
}
