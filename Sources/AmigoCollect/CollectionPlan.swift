import AmigoCore

/// Which accounts a scan reads.
public enum AccountSelection: Sendable, Hashable {
    /// The account the credentials belong to.
    case caller
    /// These accounts, by AssumeRole (the caller's own account with its own credentials).
    case list([String])
    /// Every ACTIVE account of the caller's organisation (the management account's view).
    case organization
}

/// What to collect and how hard to push: everything the collectors need to know, decided
/// from flags and from the data the enabled checks declare they need.
public struct CollectionPlan: Sendable {
    public var accounts: AccountSelection
    public var excludeAccounts: Set<String>
    /// With `.organization`: only accounts under these OUs or roots (recursively).
    public var organizationalUnits: [String]
    /// nil: every region enabled in each account.
    public var regions: [String]?
    /// Never read, named or not (a region an SCP denies on purpose).
    public var excludeRegions: Set<String> = []
    /// Only the account×regions this accepts are read (one shard of a larger scan); every
    /// account is still entered and its regions listed, so the sink sees the whole plan.
    public var regionFilter: (@Sendable (_ account: String, _ region: String) -> Bool)?
    public var needs: Set<DataNeed>
    public var roleName: String
    public var externalId: String?
    public var sessionName: String
    /// The region used for STS and to list regions.
    public var homeRegion: String
    /// account×region collections in flight at once. Each one's pace is set by its own API
    /// buckets, so the scan is as fast as its largest account×region only when all run at once.
    public var regionConcurrency: Int
    /// Per-image calls of one account×region started at once; those beyond what its bucket
    /// allows wait, already signed, in the pacer. An account×region's bucket refills at 20
    /// calls a second and an answer takes ~40 ms, so after the burst (100) one or two calls are
    /// ever on the wire: 8 spend the burst in half a second, and keep 100+ calls a second
    /// possible at 80 ms of latency. Each waiting call holds its task's stack (~10 KB), for
    /// every account×region at once, so more only costs memory: 32 held 45 MB more than 8
    /// on 20 × 8 × 200 (Benchmarks/README.md).
    public var requestConcurrency: Int
    /// Requests on the wire at once for the whole scan: the transport's connection limit.
    public var requestsInFlight: Int
    /// The API buckets the client paces itself to; nil when replaying fixtures.
    public var pacing: PacingLimits?
    /// Pages any one listing may take (`Paginator`); a real account needs far fewer.
    public var pageLimit: Int
    /// Listing pages being fetched and decoded at once, across the scan. A DescribeImages page
    /// of 1,000 images is a ~1 MB body, then a few MB while it is parsed; 200 account×regions
    /// starting together held them all at once, over half of a 200,000-image scan's peak.
    public let pageSlots: AsyncLimiter
    public static let defaultPagesInFlight = 32
    /// Images asked for in an account×region's first DescribeImages pages; later pages ask for
    /// 1,000. An account×region ends (n − burst) / rate seconds after its first launch
    /// permission call, and that call waits for the first page: when every account×region
    /// starts at once, a page of 25 is answered and read sooner than one of 100 or 1,000.
    /// The second page (100) comes while the first page's calls are still going, and with it
    /// the bucket's burst (100) is spent, so a slow page of 1,000 after it costs no tokens: the
    /// bucket then takes 5 s to refill. A first page of 25 followed at once by 1,000 left the
    /// bucket idle, refilling up to its burst, whenever that page took over a second.
    /// The first page does not wait for `pageSlots`, so every account×region starts at once;
    /// first pages are small (at most `regionConcurrency` × 25 images).
    public static let openingImagePages = [25, 100]

    public static let defaultRegionConcurrency = 256
    public static let defaultRequestsInFlight = 512
    public static let defaultRequestConcurrency = 8
    /// 10,000 pages of 1,000 images each: ten million images in one account×region.
    public static let defaultPageLimit = 10_000

    public init(accounts: AccountSelection = .caller, excludeAccounts: Set<String> = [],
                organizationalUnits: [String] = [],
                regions: [String]? = nil, needs: Set<DataNeed> = [.images],
                roleName: String = "OrganizationAccountAccessRole", externalId: String? = nil,
                sessionName: String = "amigo", homeRegion: String = "us-east-1",
                regionConcurrency: Int = CollectionPlan.defaultRegionConcurrency,
                requestConcurrency: Int = CollectionPlan.defaultRequestConcurrency,
                requestsInFlight: Int = CollectionPlan.defaultRequestsInFlight,
                pacing: PacingLimits? = .aws, pageLimit: Int = CollectionPlan.defaultPageLimit) {
        self.accounts = accounts; self.excludeAccounts = excludeAccounts; self.regions = regions
        self.organizationalUnits = organizationalUnits
        self.needs = needs; self.roleName = roleName; self.externalId = externalId
        self.sessionName = sessionName; self.homeRegion = homeRegion
        self.regionConcurrency = max(1, regionConcurrency)
        self.requestConcurrency = max(1, requestConcurrency)
        self.requestsInFlight = max(1, requestsInFlight)
        self.pacing = pacing
        self.pageLimit = max(1, pageLimit)
        pageSlots = AsyncLimiter(limit: Self.defaultPagesInFlight)
    }

    func reads(account: String, region: String) -> Bool { regionFilter?(account, region) ?? true }

    func paginator(_ operation: String) -> Paginator { Paginator(operation: operation, limit: pageLimit) }
}

/// Where collectors deliver what they saw, as soon as they saw it, so a crash or a later
/// failure loses nothing already collected.
public protocol InventorySink: Sendable {
    func organization(_ organization: Organization?, accounts: [Account]) async throws
    func region(_ batch: RegionBatch) async throws
    /// Coverage that is not a collected region: skipped (not opted in, suspended account) or
    /// failed before any region could be read (AssumeRole denied).
    func coverage(_ coverage: RegionCoverage, errors: [ScanError]) async throws
    /// Failures that belong to no single account×region: an organisation listing cut short, an
    /// account id or region name AWS answered that is not one.
    func errors(_ errors: [ScanError]) async throws
    /// The regions of an account about to be read, before any of them is: what is planned and
    /// never delivered was not read (the run was killed or interrupted).
    func plan(account: String, regions: [String]) async throws
    /// Where the images of an account×region wait until its batch is delivered.
    func imageStage(account: String, region: String) -> any ImageStage
}

extension InventorySink {
    public func plan(account: String, regions: [String]) async throws {}
    public func imageStage(account: String, region: String) -> any ImageStage { MemoryImageStage() }
}
