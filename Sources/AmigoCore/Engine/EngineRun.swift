import Foundation

/// The rule engine fed one account×region at a time, so a scan is judged without ever holding
/// its whole inventory: only the findings, the image identities and the (small) region settings
/// outlive a batch. Gives exactly what `Engine.evaluate(_:policies:asOf:)` gives for the
/// inventory that concatenates the batches in the order they were added.
///
/// Every image check looks only at its own image's account×region (snapshots, settings), which
/// is what makes judging a batch with only that batch's snapshots and settings sound.
public struct EngineRun {
    /// What a run is for.
    public enum Purpose: Sendable {
        /// Findings and what each policy evaluated: an evaluation.
        case judge
        /// Only what each policy evaluated, for rendering an evaluation whose findings are
        /// read back from the catalogue: judging a million images again only to drop the
        /// findings was most of `amigo report`'s time and its peak memory.
        case listEvaluated
    }

    /// What is judged per batch, and how.
    public let judge: BatchJudge
    private var ownedImages: [ImageKey: Image] = [:]

    private var images: [ImageRef] = []
    /// Per image policy, the indices into `images` it evaluated, in arrival order.
    private var evaluated: [[Int]]
    private var parts: [Part] = []
    private var seen: Set<RegionRef> = []
    /// Set when an account×region arrived in more than one batch: its findings then need sorting.
    private var repeatedRegion = false
    /// Set when one batch spanned several account×regions: findings are then only sorted
    /// within each batch, so more than one such batch needs a sort.
    private var mixedBatch = false
    private var regionSettings: [String: RegionSettings] = [:]
    private var batchCoverage: [RegionCoverage] = []

    /// One batch's findings: per parallel chunk, per image policy, already in report order.
    private struct Part {
        let region: RegionRef
        let arrival: Int
        let chunks: [ChunkResult]
    }

    /// `workloads`: the whole scan's, before any image (an image's usage is organisation-wide);
    /// nil when the scan did not collect them. Batches' own workloads are not read.
    public init(policies: PolicySet, asOf: Date, organization: Organization? = nil, accounts: [Account] = [],
                workloads: WorkloadIndex? = nil, purpose: Purpose = .judge) {
        self.init(judge: BatchJudge(policies: policies, asOf: asOf, organization: organization, accounts: accounts,
                                    workloads: workloads, purpose: purpose))
    }

    /// A run that adds batches this judge judged (`add(_: JudgedBatch)`), or judges them itself.
    public init(judge: BatchJudge) {
        self.judge = judge
        evaluated = Array(repeating: [], count: judge.compiled.count)
    }

    /// Judges one account×region's images; keeps its settings and coverage for the region and
    /// workload policies. Its workloads and referenced images are not read: give the whole
    /// scan's to `init`.
    public mutating func add(_ batch: RegionBatch) {
        add(judge.judge(batch))
    }

    /// A batch `judge` judged, as if it were added here and now.
    public mutating func add(_ batch: JudgedBatch) {
        add(batch.images)
        if let undecodable = batch.undecodable { add(undecodable) }
        batchCoverage.append(batch.coverage)
    }

    /// The images named by scan errors because they could not be decoded (UndecodableImages.swift).
    mutating func add(undecodable errors: [ScanError]) {
        if let judged = judge.judge(undecodable: errors) { add(judged) }
    }

    private mutating func add(_ judged: JudgedUndecodable) {
        let first = images.count
        images += judged.images
        for p in judged.evaluated.indices { evaluated[p] += judged.evaluated[p].map { first + $0 } }
        guard judge.purpose == .judge else { return }
        parts.append(Part(region: RegionRef(accountId: judged.images[0].accountId, region: judged.images[0].region),
                          arrival: parts.count, chunks: [judged.chunk]))
        // Their findings follow the decoded images' of the same region: sort when finishing.
        repeatedRegion = true
    }

    /// Judges images with the snapshots and region settings of their own account×region.
    /// The images may span several account×regions (an inventory's worth is fine); batches of
    /// one account×region keep memory down and let findings be placed without a sort.
    public mutating func add(images batchImages: [Image], snapshots: [Snapshot] = [], settings: [RegionSettings] = []) {
        add(judge.judge(images: batchImages, snapshots: snapshots, settings: settings))
    }

    private mutating func add(_ judged: JudgedImages) {
        for s in judged.settings { regionSettings["\(s.accountId)/\(s.region)"] = s }
        for image in judged.owned { ownedImages[ImageKey(image)] = image }
        let first = images.count
        images += judged.refs
        for p in judged.evaluated.indices {
            switch judged.evaluated[p] {
            case .all: evaluated[p].append(contentsOf: first ..< first + judged.refs.count)
            case .some(let local): evaluated[p].append(contentsOf: local.lazy.map { first + $0 })
            }
        }
        guard let chunks = judged.chunks, let region = judged.region else { return }
        if judged.regions.count > 1 { mixedBatch = true }
        if !seen.isDisjoint(with: judged.regions) { repeatedRegion = true }
        seen.formUnion(judged.regions)
        parts.append(Part(region: region, arrival: parts.count, chunks: chunks))
    }

    /// The evaluation of everything added. `coverage` decides which account×regions the region
    /// policies judge; nil takes the coverage of the batches added.
    public consuming func finish(coverage: [RegionCoverage]? = nil) -> Evaluation {
        let needsSort = repeatedRegion || (mixedBatch && parts.count > 1)
        let ordered = parts.sorted { ($0.region, $0.arrival) < ($1.region, $1.arrival) }
        parts = []
        var waived = ordered.flatMap { $0.chunks.flatMap(\.waived) }
        let context = EvaluationContext(asOf: judge.asOf, organization: judge.organization, accounts: judge.accounts,
                                        regionSettings: regionSettings, workloads: judge.workloads, ownedImages: ownedImages)
        ownedImages = [:]
        let regions = Engine.readableRegions(coverage ?? batchCoverage)
        var results: [PolicyResult] = []
        results.reserveCapacity(judge.policies.policies.count)
        var p = 0
        for policy in judge.policies.policies {
            if let (result, subjectWaived) = Engine.evaluateAfterImages(policy, regions: regions, context: context,
                                                                        accountNames: judge.accountNames, waivers: judge.waivers) {
                results.append(result)
                waived += subjectWaived
                continue
            }
            var findings = MovableList.concatenate(ordered.flatMap { $0.chunks.map { $0.findings[p] } })
            if needsSort {
                findings.sort { ($0.accountId, $0.region, $0.resourceId) < ($1.accountId, $1.region, $1.resourceId) }
            }
            results.append(PolicyResult(policy: policy.info, evaluated: evaluated[p], findings: findings))
            evaluated[p] = []
            p += 1
        }
        waived.sort { Finding.reportOrder($0.finding, $1.finding) }
        return Evaluation(images: images, results: results, waived: waived,
                          expiringWaivers: judge.policies.waivers.filter { $0.expiresSoon(asOf: judge.asOf) })
    }
}

/// Interning tables a run's parallel chunks share: chunk k interns in table k % count, under
/// that table's lock, so chunks running side by side (neighbours) rarely wait, and a string
/// is stored at most `count` times per run rather than once per finding.
final class SharedStringTables: @unchecked Sendable {
    private let tables: UnsafeMutablePointer<StringTable>
    private let locks: [NSLock]

    init(count: Int = 16) {
        tables = .allocate(capacity: count)
        tables.initialize(repeating: StringTable(), count: count)
        locks = (0..<count).map { _ in NSLock() }
    }

    deinit {
        tables.deinitialize(count: locks.count)
        tables.deallocate()
    }

    func withTable<T>(for chunk: Int, _ body: (inout StringTable) -> T) -> T {
        let i = chunk % locks.count
        locks[i].lock(); defer { locks[i].unlock() }
        return body(&tables[i])
    }
}

/// One stored copy per distinct string.
public struct StringTable {
    private var strings: Set<String> = []

    public init() {}

    mutating func intern(_ string: String) -> String {
        // Up to 15 UTF-8 bytes are stored inline: nothing to share.
        string.utf8.count <= 15 ? string : strings.insert(string).memberAfterInsert
    }

    /// Shares the storage of a finding's message and evidence with equal ones seen before.
    public mutating func intern(_ finding: inout Finding) {
        finding.message = intern(finding.message)
        finding.evidence.intern(in: &self)
    }
}
