import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation

/// A report format `--format` names; each is one reporter of AmigoReports (a test holds the
/// two lists equal).
public enum ReportFormat: String, CaseIterable, Sendable {
    case json, junit, html, sarif, markdown, csv, asff, ocsf
}

/// Where reports go: files in a directory, or one format on standard output (`--output -`).
public enum ReportDestination: Sendable, Hashable {
    case directory(URL)
    case standardOutput
}

/// How results are judged and written: shared by scan, evaluate, report and diff.
public struct OutputSettings: Sendable {
    public var formats: [ReportFormat]
    public var destination: ReportDestination
    public var failOn: FailThreshold
    public var allowPartial: Bool
    /// File names without extension, e.g. `amigo-{date}-{scan}` (nil: each format's usual name).
    public var reportName: String?
    /// Findings already known (a baseline run): only findings not in it fail the run.
    public var baseline: URL?
    public init(formats: [ReportFormat] = [.json, .junit, .html], directory: URL = URL(fileURLWithPath: "reports"),
                failOn: FailThreshold = .any, allowPartial: Bool = false) {
        self.init(formats: formats, destination: .directory(directory), failOn: failOn, allowPartial: allowPartial)
    }
    public init(formats: [ReportFormat], destination: ReportDestination, failOn: FailThreshold, allowPartial: Bool,
                reportName: String? = nil, baseline: URL? = nil) {
        self.formats = formats; self.destination = destination; self.failOn = failOn
        self.allowPartial = allowPartial; self.reportName = reportName; self.baseline = baseline
    }

    /// The directory written to, or nil for standard output.
    public var directory: URL? {
        if case .directory(let url) = destination { return url }
        return nil
    }
}

/// Where AWS data comes from and which of it to read.
public struct SourceSettings: Sendable {
    /// Replay the bundled demo organisation (or another recorded fixture directory).
    public var fixtures: URL?
    public var profile: String?
    public var endpointURL: URL?
    public var caBundle: String?
    public var homeRegion: String?
    public var accounts: AccountSelection
    public var excludeAccounts: [String]
    public var organizationalUnits: [String]
    public var regions: [String]?
    public var excludeRegions: [String] = []
    /// Read only this share of the account×regions (`--shard I/N`).
    public var shard: ShardSpec?
    public var roleName: String
    public var externalId: String?
    public var collectFull: Bool
    public var concurrency: Int
    public var record: URL?
    public var timeouts: Timeouts
    public init(fixtures: URL? = nil, profile: String? = nil, endpointURL: URL? = nil, caBundle: String? = nil,
                homeRegion: String? = nil, accounts: AccountSelection = .caller, excludeAccounts: [String] = [], organizationalUnits: [String] = [],
                regions: [String]? = nil, roleName: String = "OrganizationAccountAccessRole",
                externalId: String? = nil, collectFull: Bool = false, concurrency: Int = 16, record: URL? = nil,
                timeouts: Timeouts = .standard) {
        self.fixtures = fixtures; self.profile = profile; self.endpointURL = endpointURL
        self.caBundle = caBundle; self.homeRegion = homeRegion; self.accounts = accounts
        self.excludeAccounts = excludeAccounts; self.organizationalUnits = organizationalUnits
        self.regions = regions; self.roleName = roleName
        self.externalId = externalId; self.collectFull = collectFull; self.concurrency = concurrency
        self.record = record; self.timeouts = timeouts
    }
}

/// `--log-level`, as swift-log names its levels.
public enum LogLevel: String, CaseIterable, Sendable {
    case trace, debug, info, notice, warning, error, critical
}

public struct LogSettings: Sendable {
    public var quiet: Bool
    public var level: LogLevel
    public init(quiet: Bool = false, level: LogLevel = .warning) { self.quiet = quiet; self.level = level }
}

/// Parses `--as-of`: a date (`2026-11-01`, midnight UTC) or an ISO 8601 timestamp.
public enum AsOf {
    public static func parse(_ text: String) -> Date? {
        let full = ISO8601DateFormatter()
        if let d = full.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = fractional.date(from: text) { return d }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }

    public static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
