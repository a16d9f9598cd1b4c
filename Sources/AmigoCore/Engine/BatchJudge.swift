import Foundation

/// The part of judging an account×region that depends on that batch alone: its findings, the
/// images it adds and which policies evaluated them. So a batch can be judged as soon as it is
/// collected, on any thread, and handed to `EngineRun.add(_:)` later, in catalogue order, with
/// exactly the outcome of adding the batch itself then.
public struct BatchJudge: Sendable {
    let purpose: EngineRun.Purpose
    let policies: PolicySet
    let compiled: [CompiledPolicy]
    let asOf: Date
    let organization: Organization?
    let accountList: [Account]
    let accountNames: [String: String]
    let waivers: WaiverIndex
    let accounts: [String: Account]
    let workloads: WorkloadIndex?
    /// Set when a workload policy is enabled: its workloads' images are looked up among every
    /// scanned account's images once all have been seen, so those are kept (only then).
    let keepsImages: Bool
    /// Messages and evidence repeat across findings (the same missing tag, the same age): one
    /// copy of each is kept for the whole run.
    let strings = SharedStringTables()

    /// `workloads`: the whole scan's, before any image (an image's usage is organisation-wide);
    /// nil when the scan did not collect them.
    public init(policies: PolicySet, asOf: Date, organization: Organization? = nil, accounts: [Account] = [],
                workloads: WorkloadIndex? = nil, purpose: EngineRun.Purpose = .judge) {
        self.purpose = purpose
        self.policies = policies
        compiled = policies.policies.compactMap(CompiledPolicy.init)
        self.asOf = asOf
        self.organization = organization
        accountList = accounts
        accountNames = Dictionary(accounts.compactMap { a in a.name.map { (a.id, $0) } },
                                  uniquingKeysWith: { first, _ in first })
        waivers = WaiverIndex(policies.waivers, asOf: asOf)
        self.accounts = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.workloads = workloads
        keepsImages = policies.policies.contains { $0.check is any Check<Workload> }
    }

    /// Whether this judge judges as one made with these inputs would: batches it judged stand
    /// for batches judged with them.
    public func judgesLike(organization: Organization?, accounts: [Account], asOf: Date) -> Bool {
        self.organization == organization && accountList == accounts && self.asOf == asOf
    }

    /// One account×region, with only its own snapshots and settings (every image check looks
    /// only at its own image's account×region).
    public func judge(_ batch: RegionBatch) -> JudgedBatch {
        JudgedBatch(images: judge(images: batch.images, snapshots: batch.snapshots,
                                  settings: batch.settings.map { [$0] } ?? []),
                    undecodable: judge(undecodable: batch.errors), coverage: batch.coverage)
    }

    /// The images may span several account×regions (an inventory's worth is fine).
    func judge(images: [Image], snapshots: [Snapshot], settings: [RegionSettings]) -> JudgedImages {
        var evaluated: [JudgedImages.Evaluated] = []
        evaluated.reserveCapacity(compiled.count)
        for policy in compiled {
            if policy.everything {
                evaluated.append(.all)
            } else {
                // Through the buffer: an Image holds dozens of references, and a copy per call shows.
                evaluated.append(.some(images.withUnsafeBufferPointer { buffer in
                    buffer.indices.filter { policy.scope.contains(buffer[$0]) }
                }))
            }
        }
        let refs = images.map { ImageRef(accountId: $0.accountId, region: $0.region, imageId: $0.imageId, name: $0.name) }
        var judged = JudgedImages(settings: settings, owned: keepsImages ? images : [], refs: refs,
                                  evaluated: evaluated, chunks: nil, regions: [])
        guard let head = images.first, purpose == .judge else { return judged }
        let context = Engine.makeContext(Inventory(snapshots: snapshots, regionSettings: settings), asOf: asOf,
                                         organization: organization, accounts: accounts, workloads: workloads)
        judged.chunks = Engine.judge(images, policies: compiled, context: context,
                                     accountNames: accountNames, waivers: waivers, strings: strings)
        let region = RegionRef(accountId: head.accountId, region: head.region)
        judged.region = region
        judged.regions = [region]
        for image in images where image.accountId != region.accountId || image.region != region.region {
            judged.regions.insert(RegionRef(accountId: image.accountId, region: image.region))
        }
        return judged
    }

    /// The images named by scan errors because they could not be decoded (UndecodableImages.swift).
    func judge(undecodable errors: [ScanError]) -> JudgedUndecodable? {
        Engine.judgeUndecodable(errors, policies: compiled, accountNames: accountNames, waivers: waivers, asOf: asOf)
            .map { JudgedUndecodable(images: $0.images, evaluated: $0.evaluated, chunk: $0.chunk) }
    }
}

/// One batch as `BatchJudge` judged it: what `EngineRun` keeps of it, and nothing else (not
/// its images, unless a workload policy needs them).
public struct JudgedBatch: Sendable {
    let images: JudgedImages
    let undecodable: JudgedUndecodable?
    let coverage: RegionCoverage
}

struct JudgedImages: Sendable {
    /// Which of the batch's images a policy evaluated, by their place in the batch.
    enum Evaluated: Sendable {
        case all
        case some([Int])
    }

    let settings: [RegionSettings]
    let owned: [Image]
    let refs: [ImageRef]
    let evaluated: [Evaluated]
    /// nil when nothing was judged: no images, or a run that only lists what was evaluated.
    var chunks: [ChunkResult]?
    /// The first image's account×region, where its findings are placed.
    var region: RegionRef?
    /// Every account×region its images are in.
    var regions: Set<RegionRef>
}

struct JudgedUndecodable: Sendable {
    let images: [ImageRef]
    let evaluated: [[Int]]
    let chunk: ChunkResult
}
