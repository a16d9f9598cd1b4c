import GRDB

extension Catalog {
    /// The rows of `sql`, each mapped as it is stepped to. `Row.fetchAll` holds every row as a
    /// GRDB `Row` (a copy of each of its values) before the first is mapped: for the findings
    /// of a million-image evaluation that was several hundred MB more than the findings.
    static func mapRows<T>(_ db: Database, sql: String, arguments: StatementArguments,
                           _ transform: @escaping (Row) throws -> T) throws -> [T] {
        let rows = try rowSequence(db, sql: sql, arguments: arguments, transform)
        let mapped = Array(rows)
        try rows.check()
        return mapped
    }

    /// The rows of `sql` as a one-pass `Sequence`, each mapped as it is stepped to, for code
    /// that takes a sequence and must not be handed an array of the whole scan.
    static func rowSequence<T>(_ db: Database, sql: String, arguments: StatementArguments,
                               _ transform: @escaping (Row) throws -> T) throws -> RowSequence<T> {
        RowSequence(try Row.fetchCursor(db, sql: sql, arguments: arguments), transform)
    }
}

/// A cursor read as a one-pass sequence. A row that fails to step or to map ends it early and
/// is kept: `check()` throws it, and must be called once the sequence has been read, so a
/// failed read is never taken for a shorter one.
final class RowSequence<Element>: Sequence, IteratorProtocol {
    private let rows: RowCursor
    private let transform: (Row) throws -> Element
    private var failure: (any Error)?

    fileprivate init(_ rows: RowCursor, _ transform: @escaping (Row) throws -> Element) {
        self.rows = rows
        self.transform = transform
    }

    func next() -> Element? {
        guard failure == nil else { return nil }
        do {
            guard let row = try rows.next() else { return nil }
            return try transform(row)
        } catch {
            failure = error
            return nil
        }
    }

    func check() throws {
        if let failure { throw failure }
    }
}
