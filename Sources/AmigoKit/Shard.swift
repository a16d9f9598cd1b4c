import AmigoCatalog
import AmigoCore
import AmigoReports

/// `--shard I/N`: the I-th of N shares of a scan, counted from 1 (`1/3`, `2/3`, `3/3`).
public struct ShardSpec: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// nil unless 1 ≤ index ≤ count.
    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index; self.count = count
    }

    /// `I/N`, e.g. `2/3`; nil for anything else, or I outside 1…N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }
}

/// Which shard reads each account×region. Account×regions the previous whole scan read are
/// dealt out by its image counts, heaviest first, each to the least loaded shard (ties: the
/// lowest index); any other (new since, or no previous scan) by a stable hash of
/// `account/region`. Both depend only on the inputs, so every runner cuts the same shares.
struct ShardAssignment: Sendable {
    let spec: ShardSpec
    /// `hash`, or `images:<digest of the counts>`: shards cut by different bases are different scans.
    let basis: String
    private let dealt: [RegionRef: Int]

    init(spec: ShardSpec, weights: [RegionRef: Int]?) {
        self.spec = spec
        guard let weights, !weights.isEmpty else {
            basis = "hash"; dealt = [:]
            return
        }
        let ordered = weights.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var load = Array(repeating: 0, count: spec.count)
        var dealt: [RegionRef: Int] = [:]
        for (region, images) in ordered {
            let lightest = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            // Every account×region costs a few calls even when it holds no image.
            load[lightest] += images + 1
            dealt[region] = lightest + 1
        }
        self.dealt = dealt
        basis = "images:" + SHA256Digest.hex(weights.sorted { $0.key < $1.key }
            .map { "\($0.key.accountId)/\($0.key.region)=\($0.value)" }.joined(separator: "\n"))
    }

    /// The shard (1-based) that reads this account×region.
    func owner(_ region: RegionRef) -> Int {
        dealt[region] ?? Int(Self.fnv1a("\(region.accountId)/\(region.region)") % UInt64(spec.count)) + 1
    }

    func owns(_ region: RegionRef) -> Bool { owner(region) == spec.index }

    /// FNV-1a, 64-bit: Swift's `Hasher` is seeded per process, so it would cut different shares
    /// on every runner.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// The digest of the whole plan as every shard sees it: the shard count, the basis, and each
    /// account×region with its owner. Shards of one scan have the same one.
    static func planDigest(count: Int, basis: String, plan: [ShardPlanEntry]) -> String {
        let lines = plan.sorted().map { "\($0.region.accountId)/\($0.region.region)=\($0.shard)" }
        return SHA256Digest.hex((["shards=\(count)", "basis=\(basis)"] + lines).joined(separator: "\n"))
    }
}
