import Foundation

/// The identity of an evaluated image, as reports list it.
public struct ImageRef: Sendable, Hashable, Codable {
    public var accountId: String
    public var region: String
    public var imageId: String
    public var name: String?
    public init(accountId: String, region: String, imageId: String, name: String? = nil) {
        self.accountId = accountId; self.region = region; self.imageId = imageId; self.name = name
    }
}

/// An account×region a region policy was evaluated in.
public struct RegionRef: Sendable, Hashable, Codable, Comparable {
    public var accountId: String
    public var region: String
    public init(accountId: String, region: String) { self.accountId = accountId; self.region = region }

    /// The `resourceId` of a finding about this account×region: `<account>/<region>`.
    public var resourceId: String { "\(accountId)/\(region)" }

    public static func < (a: Self, b: Self) -> Bool { (a.accountId, a.region) < (b.accountId, b.region) }
}

/// One policy's outcome: what it evaluated and what it found. An image policy evaluates
/// images (`evaluated`: indices into `Report.images`), a region policy account×regions
/// (`evaluatedRegions`, in account, region order). JUnit renders one test case per evaluated
/// image or region.
public struct PolicyResult: Sendable, Hashable {
    public var policy: PolicyInfo
    public var evaluated: [Int]
    public var findings: [Finding]
    public var evaluatedRegions: [RegionRef]
    public init(policy: PolicyInfo, evaluated: [Int], findings: [Finding], evaluatedRegions: [RegionRef] = []) {
        self.policy = policy; self.evaluated = evaluated; self.findings = findings
        self.evaluatedRegions = evaluatedRegions
    }
}

/// A finding that a waiver accepted.
public struct WaivedFinding: Sendable, Hashable, Codable {
    public var finding: Finding
    public var reason: String
    public var expires: Date?
    public init(finding: Finding, reason: String, expires: Date?) {
        self.finding = finding; self.reason = reason; self.expires = expires
    }
}

/// Where a scan stands; stored as its raw value.
public enum ScanStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Still collecting, or left so by a process that died (see `Catalog.settleStaleScans`).
    case running
    /// Every planned account×region was read.
    case complete
    /// Some account×region could not be read.
    case partial
    /// Stopped before every planned account×region was read (a signal, or the process died).
    case interrupted

    /// Whether the scan's data can be trusted as a full picture.
    public var isComplete: Bool { self == .complete }
}

public struct ScanInfo: Sendable, Hashable, Codable {
    public var id: Int64?
    public var startedAt: Date
    public var finishedAt: Date?
    public var asOf: Date
    public var status: ScanStatus
    /// Where the data came from: `demo`, `live`, or a fixture directory.
    public var source: String
    public init(id: Int64? = nil, startedAt: Date, finishedAt: Date? = nil, asOf: Date,
                status: ScanStatus, source: String) {
        self.id = id; self.startedAt = startedAt; self.finishedAt = finishedAt; self.asOf = asOf
        self.status = status; self.source = source
    }
}

/// One evaluation of a stored scan: policies judged against its inventory at one as-of time.
/// A scan keeps every evaluation it was given; none replaces another.
public struct EvaluationInfo: Sendable, Hashable, Codable {
    public var id: Int64
    public var scanId: Int64
    /// SHA-256 (hex) of the policy files' stored text: equal digests, equal policies.
    public var policyDigest: String
    public var asOf: Date
    public var amigoVersion: String
    public var evaluatedAt: Date
    public var findings: Int
    public var waived: Int
    public init(id: Int64, scanId: Int64, policyDigest: String, asOf: Date, amigoVersion: String,
                evaluatedAt: Date, findings: Int, waived: Int) {
        self.id = id; self.scanId = scanId; self.policyDigest = policyDigest; self.asOf = asOf
        self.amigoVersion = amigoVersion; self.evaluatedAt = evaluatedAt
        self.findings = findings; self.waived = waived
    }
}

/// An evaluated scan: the single value every reporter renders.
public struct Report: Sendable {
    public var scan: ScanInfo
    /// The stored evaluation rendered; nil for one not (yet) stored.
    public var evaluation: EvaluationInfo?
    public var accounts: [Account]
    public var images: [ImageRef]
    public var results: [PolicyResult]
    public var waived: [WaivedFinding]
    public var errors: [ScanError]
    public var coverage: [RegionCoverage]
    /// Waivers that lapse within two weeks of the as-of time: a warning in every report.
    public var expiringWaivers: [Waiver] = []
    /// With `--baseline`: which findings were already known, and which known ones are gone.
    public var baseline: BaselineComparison?
    /// With `--framework`: each framework's controls judged from this evaluation.
    public var frameworks: [FrameworkRollup] = []

    public init(scan: ScanInfo, accounts: [Account], images: [ImageRef], results: [PolicyResult],
                waived: [WaivedFinding] = [], errors: [ScanError] = [], coverage: [RegionCoverage] = [],
                evaluation: EvaluationInfo? = nil) {
        self.scan = scan; self.evaluation = evaluation; self.accounts = accounts; self.images = images; self.results = results
        self.waived = waived; self.errors = errors; self.coverage = coverage
    }

    /// All unwaived findings, most severe first, then by policy, account, region, resource.
    public var findings: [Finding] {
        // Severity and policy lead the order, so policies' findings do not interleave, and the
        // engine hands each policy's over in report order: laid end to end by their first
        // findings they are usually sorted already, which one comparison per finding confirms
        // (the sort compared strings n log n times).
        let joined = Array(results.lazy.map(\.findings).filter { !$0.isEmpty }
            .sorted { Finding.reportOrder($0[0], $1[0]) }.joined())
        return joined.isInReportOrder ? joined : joined.sorted(by: Finding.reportOrder)
    }

    public func accountName(_ id: String) -> String? { accounts.first { $0.id == id }?.name }
}

/// An earlier run's findings, by the fingerprint reports write for `Finding.identity`.
public struct BaselineComparison: Sendable {
    /// Fingerprints of the baseline's findings.
    public var known: Set<String>
    /// Baseline findings this run no longer has.
    public var resolved: [Finding]
    public init(known: Set<String>, resolved: [Finding]) { self.known = known; self.resolved = resolved }
}

/// What anything that varies between runs is: passed in so reporters stay pure.
public struct RenderContext: Sendable, Hashable {
    public var generatedAt: Date
    public var toolVersion: String
    /// The report's scope in the catalogue's history, ending with the reported evaluation; nil
    /// for a report no catalogue holds.
    public var trend: Trend?
    public init(generatedAt: Date, toolVersion: String, trend: Trend? = nil) {
        self.generatedAt = generatedAt; self.toolVersion = toolVersion; self.trend = trend
    }
}

extension Finding {
    /// `resourceType` of findings about an image (`resourceId` is the image id).
    public static let imageResourceType = "image"
    /// `resourceType` of findings about an account×region's guardrails (`resourceId` is
    /// `<account>/<region>`, see `RegionRef.resourceId`).
    public static let regionResourceType = "region"
    /// `resourceType` of findings about a workload (`resourceId` is the instance id,
    /// `lt-…:VERSION`, group, configuration or parameter name; the discriminator starts with
    /// the workload's kind and image id).
    public static let workloadResourceType = "workload"

    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        // Field by field: a tuple of five strings per side was copied for every comparison.
        if a.severity != b.severity { return a.severity > b.severity }
        if a.policyId != b.policyId { return a.policyId < b.policyId }
        if a.accountId != b.accountId { return a.accountId < b.accountId }
        if a.region != b.region { return a.region < b.region }
        if a.resourceId != b.resourceId { return a.resourceId < b.resourceId }
        return a.message < b.message
    }
}

extension Array where Element == Finding {
    /// No finding comes before the one ahead of it: sorting would give the same array.
    public var isInReportOrder: Bool {
        indices.dropFirst().allSatisfy { !Finding.reportOrder(self[$0], self[$0 - 1]) }
    }
}
