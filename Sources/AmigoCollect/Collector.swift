import AmigoAWS
import AmigoCore
import Foundation
import Logging

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
    let pacer: RequestPacer

    public init(client: AWSClient, credentials: any CredentialProvider, plan: CollectionPlan,
                progress: Progress = Progress(), logger: Logger = Logger(label: "amigo.collect")) {
        self.client = client; self.credentials = credentials; self.plan = plan
        self.progress = progress; self.logger = logger
        self.regionSlots = AsyncLimiter(limit: plan.regionConcurrency)
        self.pacer = RequestPacer(limit: plan.pacing)
    }

    /// Collects everything the plan asks for. Throws only when nothing can be scanned at all
    /// (the caller's own identity or organisation cannot be read); anything narrower is a
    /// scan error in the sink.
    public func run(into sink: any InventorySink) async throws(AWSError) {
        // Who we are and what the organisation holds do not depend on each other: ask both at once.
        async let identity = result { () async throws(AWSError) in try await callerAccount() }
        async let discovery = result { () async throws(AWSError) in try await discoverAccounts() }
        let caller = try await identity.get()
        var (organization, accounts, skipped) = try await discovery.get()
        if plan.accounts == .caller { accounts = [Account(id: caller)] }
        do {
            try await sink.organization(organization, accounts: accounts + skipped)
        } catch {
            throw AWSError(service: "amigo", operation: "WriteCatalog", region: plan.homeRegion,
                           code: "CatalogError", message: String(describing: error))
        }
        for account in skipped {
            try? await sink.coverage(RegionCoverage(accountId: account.id, region: "*", status: .skipped,
                                                    reason: "account status \(account.status ?? "unknown")"),
                                     errors: [])
        }
        progress.accountsFound(accounts.count)

        await withTaskGroup(of: Void.self) { group in
            for account in accounts {
                group.addTask {
                    await collect(account: account, caller: caller, sink: sink)
                }
            }
        }
    }

    func callerAccount() async throws(AWSError) -> String {
        let root = try await client.query(.sts, region: plan.homeRegion, action: "GetCallerIdentity",
                                          credentials: credentials)
        do {
            return try STSDecode.callerIdentity(root).account
        } catch {
            throw malformed("sts", "GetCallerIdentity", plan.homeRegion, error)
        }
    }

    /// The accounts to scan; for `.caller` the caller's account is filled in by `run`.
    func discoverAccounts() async throws(AWSError) -> (Organization?, [Account], [Account]) {
        switch plan.accounts {
        case .caller:
            return (nil, [], [])
        case .list(let ids):
            let accounts = ids.filter { !plan.excludeAccounts.contains($0) }.map { Account(id: $0) }
            return (nil, accounts, [])
        case .organization:
            let directory = OrganizationDirectory(client: client, credentials: credentials,
                                                  region: plan.homeRegion)
            let (organization, all) = try await directory.read()
            var wanted = all.filter { !plan.excludeAccounts.contains($0.id) }
            if !plan.organizationalUnits.isEmpty {
                let under = try await directory.accountIds(under: plan.organizationalUnits)
                wanted = wanted.filter { under.contains($0.id) }
            }
            let active = wanted.filter { ($0.status ?? "ACTIVE") == "ACTIVE" }
            let inactive = wanted.filter { ($0.status ?? "ACTIVE") != "ACTIVE" }
            return (organization, active, inactive)
        }
    }

    /// One account: its credentials, its regions, then each region under the global limit.
    func collect(account: Account, caller: String, sink: any InventorySink) async {
        let accountCredentials: any CredentialProvider
        if account.id == caller {
            accountCredentials = credentials
        } else {
            let provider = AssumeRoleCredentialProvider(
                client: client, roleArn: roleArn(for: account.id), sessionName: plan.sessionName,
                externalId: plan.externalId, durationSeconds: nil, source: credentials,
                region: plan.homeRegion)
            do {
                _ = try await provider.credentials()
            } catch {
                await accountFailed(account, operation: "sts:AssumeRole", error: error, sink: sink)
                return
            }
            accountCredentials = provider
        }

        let regions: [RegionInfo]
        do {
            let root = try await client.query(.ec2, region: plan.homeRegion, action: "DescribeRegions",
                                              parameters: [("AllRegions", "true")],
                                              credentials: accountCredentials)
            regions = try EC2Decode.regions(root)
        } catch {
            await accountFailed(account, operation: "ec2:DescribeRegions", error: error, sink: sink)
            return
        }

        var targets: [String] = []
        for region in regions.sorted(by: { $0.name < $1.name }) {
            if let wanted = plan.regions, !wanted.contains(region.name) { continue }
            if region.isEnabled {
                targets.append(region.name)
            } else {
                try? await sink.coverage(RegionCoverage(accountId: account.id, region: region.name,
                                                        status: .skipped,
                                                        reason: "region \(region.optInStatus ?? "not enabled")"),
                                         errors: [])
            }
        }
        for name in plan.regions ?? [] where !regions.contains(where: { $0.name == name }) {
            let error = ScanError(accountId: account.id, region: name, operation: "ec2:DescribeRegions",
                                  code: "UnknownRegion", message: "region \(name) is not offered to this account")
            try? await sink.coverage(RegionCoverage(accountId: account.id, region: name, status: .failed,
                                                    reason: "unknown region"), errors: [error])
        }
        progress.regionsFound(targets.count)

        let collector = RegionCollector(client: client, credentials: accountCredentials, plan: plan,
                                        progress: progress, pacer: pacer, account: account.id)
        await regionSlots.forEach(targets) { region in
            let result = await collector.collect(account: account, region: region)
            do {
                try await sink.region(result)
            } catch {
                logger.error("could not record \(account.id)/\(region): \(error)")
            }
            progress.regionDone(images: result.images.count, errors: result.errors.count)
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
        try? await sink.coverage(RegionCoverage(accountId: account.id, region: "*", status: .failed,
                                                reason: "\(operation) failed: \(scanError.code)"),
                                 errors: [scanError])
    }
}

func result<T: Sendable>(_ body: () async throws(AWSError) -> T) async -> Result<T, AWSError> {
    do { return .success(try await body()) } catch { return .failure(error) }
}

func malformed(_ service: String, _ operation: String, _ region: String, _ error: any Error) -> AWSError {
    AWSError(service: service, operation: operation, region: region, code: "MalformedResponse",
             message: String(describing: error))
}
