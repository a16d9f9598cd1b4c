import AmigoAWS
import AmigoCore
import Foundation
import Logging
import Synchronization

/// Walks accounts and regions, collects each account×region, and hands every result to the
/// sink as soon as it is complete. Nothing here decides compliance.
public struct Collector: Sendable {
    public let client: AWSClient
    public let credentials: any CredentialProvider
    public let plan: CollectionPlan
    public let progress: Progress
    let logger: Logger
    /// Shared by every account, so the account×region limit holds for the whole scan.
    let regionSlots: AsyncLimiter
    /// Account×regions the sink refused (a catalogue that cannot be written).
    let undelivered = Undelivered()

    public init(client: AWSClient, credentials: any CredentialProvider, plan: CollectionPlan,
                progress: Progress = Progress(), logger: Logger = Logger(label: "amigo.collect")) {
        self.credentials = credentials; self.plan = plan
        self.progress = progress; self.logger = logger
        self.regionSlots = AsyncLimiter(limit: plan.regionConcurrency)
        if let pacing = plan.pacing {
            // Every call of the scan, AssumeRole and retries included, goes through the pacer.
            self.client = AWSClient(transport: PacedTransport(wrapping: client.transport, limits: pacing,
                                                              maxInFlight: plan.requestsInFlight),
                                    endpoints: client.endpoints, retry: client.retry, stats: client.stats,
                                    logger: client.logger, now: client.now)
        } else {
            self.client = client
        }
    }

    /// Collects everything the plan asks for. Throws only when nothing can be scanned at all
    /// (the caller's own identity or organisation cannot be read); anything narrower is a
    /// scan error in the sink.
    public func run(into sink: any InventorySink) async throws(AWSError) {
        // The home region is part of the STS, Organizations and DescribeRegions host names.
        guard AWSIdentifier.isRegion(plan.homeRegion) else {
            throw AWSError(service: "amigo", operation: "Regions", region: "none", code: "InvalidIdentifier",
                           message: "home region \(UntrustedText.quoted(plan.homeRegion)) is not a region name")
        }
        // Who we are and what the organisation holds do not depend on each other: ask both at once.
        async let identity = result { () async throws(AWSError) in try await callerAccount() }
        async let discovery = result { () async throws(AWSError) in try await discoverAccounts() }
        let caller = try await identity.get()
        var (organization, accounts, skipped, discoveryErrors) = try await discovery.get()
        if plan.accounts == .caller { accounts = [Account(id: caller)] }
        do {
            try await sink.organization(organization, accounts: accounts + skipped)
        } catch {
            throw AWSError(service: "amigo", operation: "WriteCatalog", region: plan.homeRegion,
                           code: "CatalogError", message: String(describing: error))
        }
        if !discoveryErrors.isEmpty {
            progress.error()
            await record("the organisation's scan errors") { try await sink.errors(discoveryErrors) }
        }
        for account in skipped {
            await record("\(account.id): skipped") {
                try await sink.coverage(RegionCoverage(accountId: account.id, region: "*", status: .skipped,
                                                       reason: "account status \(account.status ?? "unknown")"),
                                        errors: [])
            }
        }
        progress.accountsFound(accounts.count)

        // Discarding: a finished account's task (and what its stack held) is freed at once.
        await withDiscardingTaskGroup { group in
            for account in accounts {
                group.addTask {
                    await collect(account: account, caller: caller, sink: sink)
                }
            }
        }
        // A region that was read but could not be written is lost to this scan: fail it whole
        // rather than let its absence pass for a smaller organisation.
        let lost = undelivered.all
        if !lost.isEmpty {
            throw AWSError(service: "amigo", operation: "WriteCatalog", region: plan.homeRegion, code: "CatalogError",
                           message: "\(lost.count) account×region(s) could not be recorded: \(lost.prefix(3).joined(separator: "; "))")
        }
    }

    /// A write that decides what a report says (coverage, errors): a failure is kept, and
    /// fails the scan at the end, so an account×region never goes missing in silence.
    func record(_ what: String, _ write: () async throws -> Void) async {
        do {
            try await write()
        } catch {
            logger.error("could not record \(what): \(error)")
            undelivered.record("\(what): \(error)")
        }
    }

    static let getCallerIdentity = AWSAction(.sts, "GetCallerIdentity")!

    func callerAccount() async throws(AWSError) -> String {
        let root = try await client.query(Self.getCallerIdentity, region: plan.homeRegion, credentials: credentials)
        do {
            let account = try STSDecode.callerIdentity(root).account
            guard AWSIdentifier.isAccount(account) else {
                throw DecodeError(operation: "GetCallerIdentity",
                                  message: "Account \(UntrustedText.quoted(account)) is not an account id")
            }
            return account
        } catch {
            throw malformed("sts", "GetCallerIdentity", plan.homeRegion, error)
        }
    }

    /// The accounts to scan, those skipped, and the scan errors of accounts that cannot be
    /// used; for `.caller` the caller's account is filled in by `run`.
    func discoverAccounts() async throws(AWSError) -> (Organization?, [Account], [Account], [ScanError]) {
        switch plan.accounts {
        case .caller:
            return (nil, [], [], [])
        case .list(let ids):
            let wanted = ids.filter { !plan.excludeAccounts.contains($0) }
            let errors = wanted.filter { !AWSIdentifier.isAccount($0) }.map {
                AWSIdentifier.invalid("account id", $0, account: "*", operation: "sts:AssumeRole")
            }
            return (nil, wanted.filter(AWSIdentifier.isAccount).map { Account(id: $0) }, [], errors)
        case .organization:
            let directory = OrganizationDirectory(client: client, credentials: credentials,
                                                  region: plan.homeRegion, pageLimit: plan.pageLimit)
            var (organization, all, errors) = try await directory.read()
            var wanted = all.filter { !plan.excludeAccounts.contains($0.id) }
            if !plan.organizationalUnits.isEmpty {
                let (under, walkErrors) = try await directory.accountIds(under: plan.organizationalUnits)
                wanted = wanted.filter { under.contains($0.id) }
                errors += walkErrors
            }
            let active = wanted.filter { ($0.status ?? "ACTIVE") == "ACTIVE" }
            let inactive = wanted.filter { ($0.status ?? "ACTIVE") != "ACTIVE" }
            return (organization, active, inactive, errors)
        }
    }

    func roleArn(for account: String) -> String {
        let partition = Endpoints.partition(of: plan.homeRegion).rawValue
        return "arn:\(partition):iam::\(account):role/\(plan.roleName)"
    }

    /// An account that could not be entered or listed: one failed coverage row for every
    /// region it should have had, so no region of it can look compliant.
    func accountFailed(_ account: Account, operation: String, error: any Error,
                       sink: any InventorySink) async {
        let scanError = ScanError(accountId: account.id, region: nil, operation: operation,
                                  code: (error as? AWSError)?.code ?? "Error",
                                  message: (error as? AWSError)?.message ?? String(describing: error))
        logger.warning("account \(account.id): \(operation) failed: \(scanError.code): \(scanError.message)")
        progress.error()
        await record("\(account.id): \(operation) failed") {
            try await sink.coverage(RegionCoverage(accountId: account.id, region: "*", status: .failed,
                                                   reason: "\(operation) failed: \(scanError.code)"),
                                    errors: [scanError])
        }
    }
}

/// A thread-safe list of what could not be handed to the sink.
final class Undelivered: Sendable {
    private let items = Mutex<[String]>([])
    func record(_ item: String) { items.withLock { $0.append(item) } }
    var all: [String] { items.withLock { $0 } }
}

func result<T: Sendable>(_ body: () async throws(AWSError) -> T) async -> Result<T, AWSError> {
    do { return .success(try await body()) } catch { return .failure(error) }
}

func malformed(_ service: String, _ operation: String, _ region: String, _ error: any Error) -> AWSError {
    AWSError(service: service, operation: operation, region: region, code: "MalformedResponse",
             message: String(describing: error))
}
