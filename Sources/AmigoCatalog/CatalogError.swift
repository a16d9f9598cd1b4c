import Foundation
import GRDB

/// A catalogue failure that names the file and what was being done, so a user can act on it
/// without a stack trace. SQLite's own message is kept; bound values (AWS data) never are.
public struct CatalogError: Error, CustomStringConvertible, Sendable {
    /// The catalogue file, or `:memory:`.
    public var path: String
    /// What amigo was doing, e.g. `recording account 111122223333 region us-east-1 of scan 3`.
    public var operation: String
    public var reason: String

    public init(path: String, operation: String, reason: String) {
        self.path = path; self.operation = operation; self.reason = reason
    }

    public var description: String { "catalogue \(path): \(operation) failed: \(reason)" }
}

extension CatalogError {
    /// Wraps any error thrown under `operation`, keeping an existing CatalogError as it is.
    static func wrapping(_ error: any Error, path: String, operation: String) -> CatalogError {
        if let error = error as? CatalogError { return error }
        if let error = error as? DatabaseError {
            let message = error.message ?? "SQLite error"
            return CatalogError(path: path, operation: operation,
                                reason: "\(message) (SQLite code \(error.extendedResultCode.rawValue))")
        }
        return CatalogError(path: path, operation: operation, reason: String(describing: error))
    }
}
