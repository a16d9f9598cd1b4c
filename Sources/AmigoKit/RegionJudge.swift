import AmigoCatalog
import AmigoCore
import Dispatch
import Foundation
import Synchronization

/// Judges each account×region as soon as its batch is in the catalogue, while the rest of the
/// scan is still being collected, so the evaluation after the last region has only the last
/// few left to read and judge (account×regions all finish within the last second of a scan
/// that is paced, when there is CPU to spare).
///
/// It reads what `Evaluation` would read, from the catalogue, in `forEachBatch` order: the
/// account×regions it took are a prefix of that order (`Catalog.imageRegions`), so the engine
/// sees the same batches in the same order as when judging the stored scan afterwards, and
/// the evaluation is the same. Only for policies that need no workloads: an image's usage is
/// organisation-wide and is known only once every account×region is in. Any failure here
/// drops what it judged, and the evaluation reads the whole scan as it would have anyway.
final class RegionJudge: Sendable {
    /// What was judged, for `Evaluation`.
    struct Judged: Sendable {
        var run: EngineRun
        var regions: Set<RegionRef>
        /// The organisation and accounts the run was made with: the evaluation's must match.
        var organization: Organization?
        var accounts: [Account]
    }

    private struct State: Sendable {
        var judged: Judged?
        var lastImageRow: Int64 = 0
        var failed = false
    }

    private let catalog: Catalog
    private let scan: Int64
    private let policies: PolicySet
    private let asOf: Date
    private let state = Mutex(State())
    /// One drain at a time, after the one running: commits that come while it runs are
    /// picked up by the next.
    private let queue = DispatchQueue(label: "amigo.region-judge", qos: .utility)
    private let pending = Mutex(false)

    /// nil when the policies need workloads (or everything is collected, workloads included).
    init?(catalog: Catalog, scan: Int64, policies: PolicySet, asOf: Date, collectsEverything: Bool) {
        guard !policies.collectsWorkloads, !collectsEverything else { return nil }
        self.catalog = catalog; self.scan = scan; self.policies = policies; self.asOf = asOf
    }

    /// An account×region's batch was committed.
    func committed() {
        let start = pending.withLock { waiting -> Bool in
            defer { waiting = true }
            return !waiting
        }
        if start { queue.async { self.drain() } }
    }

    /// Waits for the judging under way and returns what was judged; nil if anything failed.
    func finish() -> Judged? {
        queue.sync {}
        return state.withLock { $0.failed ? nil : $0.judged }
    }

    private func drain() {
        pending.withLock { $0 = false }
        state.withLock { s in
            guard !s.failed else { return }
            do {
                if s.judged == nil {
                    let overview = try catalog.overview(scan: scan)
                    s.judged = Judged(run: EngineRun(policies: policies, asOf: asOf, organization: overview.organization,
                                                     accounts: overview.accounts),
                                      regions: [], organization: overview.organization, accounts: overview.accounts)
                }
                for (region, lastRow) in try catalog.imageRegions(scan: scan, after: s.lastImageRow) {
                    let batch = try catalog.batch(scan: scan, region: region)
                    s.judged?.run.add(batch)
                    s.judged?.regions.insert(region)
                    s.lastImageRow = lastRow
                }
            } catch {
                s.failed = true
                s.judged = nil
            }
        }
    }
}
