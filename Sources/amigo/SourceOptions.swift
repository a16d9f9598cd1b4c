import AmigoCollect
import AmigoKit
import ArgumentParser
import Foundation

/// Where the data comes from: the demo, recorded fixtures, or AWS (accounts, regions, auth).
struct SourceOptions: ParsableArguments {
    @Flag(help: "Scan the bundled demo organisation (recorded AWS responses; no AWS account needed).")
    var demo = false

    @Option(help: ArgumentHelp("Replay recorded responses from this directory instead of calling AWS.",
                               valueName: "dir"))
    var fixtures: String?

    @OptionGroup var selection: AccountSelectionOptions

    @Option(name: .customLong("exclude-accounts"), help: ArgumentHelp("Account ids to leave out.", valueName: "ids"))
    var excludeAccounts: String?

    @Option(help: ArgumentHelp("Only these regions (comma-separated). Default: every enabled region.",
                               valueName: "regions"))
    var regions: String?

    @Option(name: .customLong("exclude-regions"), help: ArgumentHelp(
        "Regions never to read (e.g. ones an SCP denies); others that fail are still scan errors.", valueName: "regions"))
    var excludeRegions: String?

    @Option(name: .customLong("role-name"), help: ArgumentHelp("Role assumed in each member account.",
                                                               valueName: "name"))
    var roleName = "OrganizationAccountAccessRole"

    @Option(name: .customLong("external-id"), help: ArgumentHelp("ExternalId for AssumeRole.", valueName: "id"))
    var externalId: String?

    @Option(help: ArgumentHelp("AWS profile from ~/.aws/config (default: AWS_PROFILE).", valueName: "name"))
    var profile: String?

    @Option(help: ArgumentHelp("Home region for STS and region discovery (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1).",
                               valueName: "region"))
    var region: String?

    @Option(name: .customLong("endpoint-url"), help: ArgumentHelp(
        "Send every AWS call to this URL (as AWS_ENDPOINT_URL does; for emulators and proxies).", valueName: "url"))
    var endpointURL: String?

    @Option(name: .customLong("ca-bundle"), help: ArgumentHelp("PEM CA bundle for TLS (default: AWS_CA_BUNDLE).",
                                                               valueName: "file"))
    var caBundle: String?

    @Option(help: ArgumentHelp("What to collect: needed (only what the policies' checks read) or full.",
                               valueName: "mode"))
    var collect: CollectMode = .needed

    @Option(help: ArgumentHelp("Account×regions collected at once (each is paced to its own API limits, so more only costs memory).",
                               valueName: "n"))
    var concurrency = CollectionPlan.defaultRegionConcurrency

    @Option(help: ArgumentHelp("Read only shard I of N (1-based: 1/3, 2/3, 3/3) of the account×regions; merge the shards' catalogues with amigo merge. Needs --as-of.",
                               valueName: "i/n"))
    var shard: ShardSpec?

    @Option(help: ArgumentHelp("Also write every AWS response here as replayable fixtures.", valueName: "dir"))
    var record: String?

    @OptionGroup var timeouts: TimeoutOptions

    func validate() throws {
        if demo && fixtures != nil { throw ValidationError("--demo and --fixtures cannot be combined") }
        if let endpointURL, URL(string: endpointURL)?.scheme == nil {
            throw ValidationError("--endpoint-url must be a URL like http://127.0.0.1:5000 (got '\(endpointURL)')")
        }
        guard (1...4096).contains(concurrency) else { throw ValidationError("--concurrency must be 1…4096") }
    }

    func settings() throws -> SourceSettings {
        let fixtureDir: URL? = demo ? try BundledFiles.demoOrganization() : fixtures.map { URL(fileURLWithPath: $0) }
        // The demo is an organisation: --demo implies --org.
        var settings = SourceSettings(fixtures: fixtureDir, profile: profile, endpointURL: endpointURL.flatMap(URL.init(string:)),
                              caBundle: caBundle, homeRegion: region, accounts: selection.selection(organization: demo),
                              excludeAccounts: excludeAccounts.map(list) ?? [],
                              organizationalUnits: selection.units, regions: regions.map(list),
                              roleName: roleName, externalId: externalId, collectFull: collect == .full,
                              concurrency: concurrency, record: record.map { URL(fileURLWithPath: $0) },
                              timeouts: timeouts.timeouts)
        settings.excludeRegions = excludeRegions.map(list) ?? []
        settings.shard = shard
        return settings
    }

    enum CollectMode: String, CaseIterable, ExpressibleByArgument { case needed, full }

    private func list(_ text: String) -> [String] { AccountSelectionOptions.list(text) }
}

/// `I/N` with 1 ≤ I ≤ N; anything else is a usage error (exit 2).
extension ShardSpec: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
