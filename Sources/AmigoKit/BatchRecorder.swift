import AmigoCatalog
import AmigoCore
import Dispatch

/// Writes account×region batches one at a time on a queue of its own, off the concurrency
/// pool, and resumes each caller once its batch is committed (or has failed).
///
/// A batch written on the pool thread that delivered it held that thread for the write, and a
/// second batch held the other one waiting for SQLite's writer lock. Every account×region of
/// a scan finishes within the same second, so the answers still due then waited for a thread.
///
/// Each batch is still its own transaction. Writing the queued batches in one transaction (a
/// savepoint each) made no difference in wall time, and its temporary tables' in-memory
/// journal then held every staged image of the group: 80–100 MB more at 200,000 images.
final class BatchRecorder: Sendable {
    private let catalog: Catalog
    private let scan: Int64
    private let queue = DispatchQueue(label: "amigo.catalog.batches")

    init(catalog: Catalog, scan: Int64) {
        self.catalog = catalog
        self.scan = scan
    }

    /// Returns once the batch is committed; throws its error if it could not be written.
    func record(_ batch: RegionBatch) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            queue.async { [catalog, scan] in
                done.resume(with: Result { try catalog.record(batch, scan: scan) })
            }
        }
    }
}
