import AmigoCollect
import AmigoCore
import AmigoKit
import ArgumentParser
import Foundation

struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("policies"), help: ArgumentHelp(
        "Policy file (repeatable, or comma-separated).", discussion: "Default: policies/baseline.yml.",
        valueName: "file"))
    var files: [String] = []

    var urls: [URL] {
        files.flatMap { $0.split(separator: ",") }.map { URL(fileURLWithPath: String($0)) }
    }
}

struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Report formats, comma-separated.", valueName: "formats"))
    var format: FormatList = FormatList([.json, .junit, .html])

    @Option(help: ArgumentHelp("Directory the reports are written to; `-` writes the one --format to stdout.",
                               valueName: "dir"))
    var output: String = "reports"

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit 1 on a finding at least this severe (info: any finding; none: never).", valueName: "severity"))
    var failOn: FailThreshold?

    @Flag(help: "Exit 0/1 on findings even if some account×region could not be read (default: exit 3).")
    var allowPartial = false

    @Option(name: .customLong("report-name"), help: ArgumentHelp(
        "Report file names without extension; {date}, {scan} and {evaluation} are filled in (e.g. amigo-{date}-{scan}).",
        valueName: "pattern"))
    var reportName: String?

    @Option(help: ArgumentHelp(
        "A findings.json of an earlier run, or a catalogue: only findings not in it fail the run; reports mark new, existing and resolved.",
        valueName: "file"))
    var baseline: String?

    /// The directory the reports go to, if any: the default catalogue lives there too.
    var directory: String? { output == "-" ? nil : output }

    /// `gates`: whether the command fails on findings and on unread regions without being
    /// asked (scan, evaluate) or only with `--fail-on` (report, diff).
    func settings(gates: Bool = true) -> OutputSettings {
        OutputSettings(formats: format.formats,
                       destination: directory.map { .directory(URL(fileURLWithPath: $0)) } ?? .standardOutput,
                       failOn: failOn ?? (gates ? .any : .none), allowPartial: allowPartial || (!gates && failOn == nil),
                       reportName: reportName, baseline: baseline.map { URL(fileURLWithPath: $0) })
    }
}

/// `--format json,html`: a comma-separated list of report formats.
struct FormatList: ExpressibleByArgument, Sendable {
    var formats: [ReportFormat]
    init(_ formats: [ReportFormat]) { self.formats = formats }
    init?(argument: String) {
        var formats: [ReportFormat] = []
        for part in argument.split(separator: ",") {
            guard let format = ReportFormat(rawValue: part.trimmingCharacters(in: .whitespaces).lowercased()) else { return nil }
            if !formats.contains(format) { formats.append(format) }
        }
        if formats.isEmpty { return nil }
        self.formats = formats
    }
    var defaultValueDescription: String { formats.map(\.rawValue).joined(separator: ",") }
    static var allValueStrings: [String] { ReportFormat.allCases.map(\.rawValue) }
}

extension FailThreshold: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public static var allValueStrings: [String] { Severity.allCases.map(\.rawValue) + ["none"] }
}

extension LogLevel: ExpressibleByArgument {}

struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "Evaluate as of this UTC date or time (2026-11-01 or 2026-11-01T12:00:00Z), for reproducible age checks.",
        valueName: "date"))
    var text: String?

    func validate() throws {
        if let text, AsOf.parse(text) == nil {
            throw ValidationError("--as-of must be a date like 2026-11-01 or 2026-11-01T12:00:00Z (got '\(text)')")
        }
    }

    var date: Date? { text.flatMap(AsOf.parse) }
}

struct CatalogOption: ParsableArguments {
    @Option(help: ArgumentHelp("The SQLite catalogue file (default: amigo.sqlite in the --output directory, else reports/).",
                               valueName: "file"))
    var catalog: String?

    /// `--catalog`, else beside the reports, so `--output out1` never touches ./reports.
    func path(beside directory: String? = nil) -> String {
        catalog ?? URL(fileURLWithPath: directory ?? "reports").appendingPathComponent("amigo.sqlite").relativePath
    }
}

struct LogOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "No progress or log output on stderr.")
    var quiet = false

    @Option(name: .customLong("log-level"), help: ArgumentHelp("How much to log on stderr.", valueName: "level"))
    var logLevel: LogLevel = .warning

    var settings: LogSettings { LogSettings(quiet: quiet, level: logLevel) }
}

/// What `evaluate` and `report` share: a stored scan and how to render it.
struct StoredScanOptions: ParsableArguments {
    @OptionGroup var catalog: CatalogOption
    @Option(help: ArgumentHelp("Scan id (default: the latest; `amigo scans` lists them).", valueName: "id"))
    var scan: Int64?
    @OptionGroup var output: OutputOptions

    var catalogPath: String { catalog.path(beside: output.directory) }
}
