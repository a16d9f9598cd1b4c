import AmigoCatalog
import AmigoCore
import Dispatch
import Foundation
import Synchronization

/// Judges each account×region of a scan as soon as its batch is in the catalogue, while the
/// rest of the scan is still being collected, so that the evaluation after the scan has only
/// the batches that came last to read and judge.
///
/// Every account×region of a scan finishes within its last second, while the catalogue's
/// writer is busy with their batches on one core; the evaluation then read and judged every
/// batch again after the last one was written (0.35–0.47 s of a 7.2 s scan of 32,000 images).
///
/// A batch is read back from the catalogue, as the evaluation reads it, and judged by the
/// judge the evaluation then uses, so what it adds is what it would have read and judged
/// itself. The evaluation uses a batch judged here only if the scan's organisation, accounts
/// and as-of are still those the judge was made with, and the catalogue still has exactly the
/// rows the batch was read from (`Catalog.rowCounts`); any other account×region it reads and
/// judges itself, as it always did. Only scans that collect no workloads are judged here: an
/// image's usage is organisation-wide, known only once every account×region is in.
///
/// What is judged stays in memory beside what the scan is still collecting, where after the
/// scan it would have come after the collection's memory was freed: 45 MB more at the peak of
/// a 200,000-image scan when every account×region was judged here. So only the first
/// `imageLimit` images are; account×regions written after that are judged by the evaluation.
final class Prejudging: Sendable {
    /// As many images as a scan keeps in memory before it stages them in the catalogue
    /// (`CatalogImageStage.inMemoryLimit`): judged, they take less memory than they did listed.
    static let defaultImageLimit = CatalogImageStage.inMemoryLimit

    struct Judged: Sendable {
        let batch: JudgedBatch
        let rows: RegionRowCounts
    }

    private struct State {
        var judge: BatchJudge?
        var judged: [RegionRef: Judged] = [:]
        var images = 0
        /// Set once the evaluation takes over: batches still queued are left to it.
        var closing = false
    }

    private let catalog: Catalog
    private let scan: Int64
    private let policies: PolicySet
    private let asOf: Date
    private let imageLimit: Int
    private let queue = DispatchQueue(label: "amigo.prejudging")
    private let state = Mutex(State())

    init(catalog: Catalog, scan: Int64, policies: PolicySet, asOf: Date, imageLimit: Int = Prejudging.defaultImageLimit) {
        self.catalog = catalog
        self.scan = scan
        self.policies = policies
        self.asOf = asOf
        self.imageLimit = imageLimit
    }

    /// `region`'s batch is committed.
    func committed(_ region: RegionRef) {
        queue.async { [self] in
            guard state.withLock({ !$0.closing && $0.images < imageLimit }) else { return }
            // A batch that cannot be read here is read by the evaluation, which reports the
            // failure if it recurs: nothing is lost by leaving it.
            do {
                let judge = try state.withLock { $0.judge } ?? makeJudge()
                let batch = try catalog.batch(scan: scan, region: region)
                let judged = Judged(batch: judge.judge(batch), rows: RegionRowCounts(batch))
                state.withLock { s in
                    s.judged[region] = judged
                    s.images += batch.images.count
                }
            } catch {}
        }
    }

    /// The accounts are recorded before any account×region's batch.
    private func makeJudge() throws -> BatchJudge {
        let overview = try catalog.overview(scan: scan)
        let judge = BatchJudge(policies: policies, asOf: asOf, organization: overview.organization,
                               accounts: overview.accounts)
        state.withLock { $0.judge = judge }
        return judge
    }

    /// Waits until every batch handed over so far is judged (or left).
    func settle() { queue.sync {} }

    /// Stops judging (batches still queued are left to the evaluation), waits for the one
    /// being judged, and hands over the judge and what it judged.
    func finish() -> (judge: BatchJudge, judged: [RegionRef: Judged])? {
        state.withLock { $0.closing = true }
        queue.sync {}
        return state.withLock { s in
            defer { s.judged = [:] }
            return s.judge.map { ($0, s.judged) }
        }
    }
}
