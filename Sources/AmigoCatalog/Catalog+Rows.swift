import GRDB

extension Catalog {
    /// The rows of `sql`, each mapped as it is stepped to. `Row.fetchAll` holds every row as a
    /// GRDB `Row` (a copy of each of its values) before the first is mapped: for the findings
    /// of a million-image evaluation that was several hundred MB more than the findings.
    static func mapRows<T>(_ db: Database, sql: String, arguments: StatementArguments,
                           _ transform: (Row) throws -> T) throws -> [T] {
        var mapped: [T] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() { mapped.append(try transform(row)) }
        return mapped
    }
}
