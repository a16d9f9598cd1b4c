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

    private let purpose: Purpose
    private let policies: PolicySet
    private let compiled: [CompiledPolicy]
    private let asOf: Date
    private let organization: Organization?
    private let accountNames: [String: String]
    private let waivers: WaiverIndex
    private let accounts: [String: Account]
    private let workloads: WorkloadIndex?
    /// Set when a workload policy is enabled: its workloads' images are looked up among every
    /// scanned account's images once all have been seen, so those are kept (only then).
    private let keepsImages: Bool
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
    /// Messages and evidence repeat across findings (the same missing tag, the same age): one
    /// copy of each is kept for the whole run.
    private let strings = SharedStringTables()

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
        self.purpose = purpose
        self.policies = policies
        compiled = policies.policies.compactMap(CompiledPolicy.init)
        self.asOf = asOf
        self.organization = organization
        accountNames = Dictionary(accounts.compactMap { a in a.name.map { (a.id, $0) } },
                                  uniquingKeysWith: { first, _ in first })
        waivers = WaiverIndex(policies.waivers, asOf: asOf)
        self.accounts = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.workloads = workloads
        keepsImages = policies.policies.contains { $0.check is any Check<Workload> }
        evaluated = Array(repeating: [], count: compiled.count)
    }

    /// Judges one account×region's images; keeps its settings and coverage for the region and
    /// workload policies. Its workloads and referenced images are not read: give the whole
    /// scan's to `init`.
    public mutating func add(_ batch: RegionBatch) {
        add(images: batch.images, snapshots: batch.snapshots, settings: batch.settings.map { [$0] } ?? [])
        add(undecodable: batch.errors)
        batchCoverage.append(batch.coverage)
    }

    /// The images named by scan errors because they could not be decoded (UndecodableImages.swift).
    mutating func add(undecodable errors: [ScanError]) {
        guard let (refs, judged, chunk) = Engine.judgeUndecodable(errors, policies: compiled, accountNames: accountNames,
                                                                  waivers: waivers, asOf: asOf) else { return }
        let first = images.count
        images += refs
        for p in judged.indices { evaluated[p] += judged[p].map { first + $0 } }
        guard purpose == .judge else { return }
        parts.append(Part(region: RegionRef(accountId: refs[0].accountId, region: refs[0].region),
                          arrival: parts.count, chunks: [chunk]))
        // Their findings follow the decoded images' of the same region: sort when finishing.
        repeatedRegion = true
    }

    /// Judges images with the snapshots and region settings of their own account×region.
    /// The images may span several account×regions (an inventory's worth is fine); batches of
    /// one account×region keep memory down and let findings be placed without a sort.
    public mutating func add(images batchImages: [Image], snapshots: [Snapshot] = [], settings: [RegionSettings] = []) {
        for s in settings { regionSettings["\(s.accountId)/\(s.region)"] = s }
        let context = Engine.makeContext(Inventory(snapshots: snapshots, regionSettings: settings), asOf: asOf,
                                         organization: organization, accounts: accounts, workloads: workloads)
        if keepsImages { for image in batchImages { ownedImages[ImageKey(image)] = image } }
        let first = images.count
        for image in batchImages {
            images.append(ImageRef(accountId: image.accountId, region: image.region, imageId: image.imageId, name: image.name))
        }
        batchImages.withUnsafeBufferPointer { buffer in
            for p in compiled.indices {
                if compiled[p].everything {
                    evaluated[p].append(contentsOf: first ..< first + buffer.count)
                } else {
                    for i in buffer.indices where compiled[p].scope.contains(buffer[i]) { evaluated[p].append(first + i) }
                }
            }
        }
        guard !batchImages.isEmpty, purpose == .judge else { return }
        let chunks = Engine.judge(batchImages, policies: compiled, context: context,
                                  accountNames: accountNames, waivers: waivers, strings: strings)
        let region = RegionRef(accountId: batchImages[0].accountId, region: batchImages[0].region)
        var regions: Set<RegionRef> = [region]
        for image in batchImages where image.accountId != region.accountId || image.region != region.region {
            regions.insert(RegionRef(accountId: image.accountId, region: image.region))
        }
        if regions.count > 1 { mixedBatch = true }
        if !seen.isDisjoint(with: regions) { repeatedRegion = true }
        seen.formUnion(regions)
        parts.append(Part(region: region, arrival: parts.count, chunks: chunks))
    }

    /// The evaluation of everything added. `coverage` decides which account×regions the region
    /// policies judge; nil takes the coverage of the batches added.
    public consuming func finish(coverage: [RegionCoverage]? = nil) -> Evaluation {
        let needsSort = repeatedRegion || (mixedBatch && parts.count > 1)
        let ordered = parts.sorted { ($0.region, $0.arrival) < ($1.region, $1.arrival) }
        parts = []
        var waived = ordered.flatMap { $0.chunks.flatMap(\.waived) }
        let context = EvaluationContext(asOf: asOf, organization: organization, accounts: accounts,
                                        regionSettings: regionSettings, workloads: workloads, ownedImages: ownedImages)
        ownedImages = [:]
        let regions = Engine.readableRegions(coverage ?? batchCoverage)
        var results: [PolicyResult] = []
        results.reserveCapacity(policies.policies.count)
        var p = 0
        for policy in policies.policies {
            if let (result, subjectWaived) = Engine.evaluateAfterImages(policy, regions: regions, context: context,
                                                                        accountNames: accountNames, waivers: waivers) {
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
                          expiringWaivers: policies.waivers.filter { $0.expiresSoon(asOf: asOf) })
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
