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
    @Option(help: ArgumentHelp("Report formats: json, junit, html, sarif, markdown, csv (comma-separated).",
                               valueName: "formats"))
    var format: String = "json,junit,html"

    @Option(help: ArgumentHelp("Directory the reports are written to.", valueName: "dir"))
    var output: String = "reports"

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit 1 on a finding at least this severe: critical, high, medium, low, info (any finding), or none.",
        valueName: "severity"))
    var failOn: String = "info"

    @Flag(help: "Exit 0/1 on findings even if some account×region could not be read (default: exit 3).")
    var allowPartial = false

    func validate() throws {
        guard FailThreshold(failOn) != nil else {
            throw ValidationError("--fail-on must be one of critical, high, medium, low, info, none (got '\(failOn)')")
        }
    }

    var settings: OutputSettings {
        OutputSettings(formats: format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                       directory: URL(fileURLWithPath: output), failOn: FailThreshold(failOn) ?? .any,
                       allowPartial: allowPartial)
    }
}

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
    @Option(help: ArgumentHelp("The SQLite catalogue file.", valueName: "file"))
    var catalog: String = "reports/amigo.sqlite"
}

struct LogOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "No progress or log output on stderr.")
    var quiet = false

    @Option(name: .customLong("log-level"), help: ArgumentHelp(
        "trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: String = "warning"

    var settings: LogSettings { LogSettings(quiet: quiet, level: logLevel) }
}

/// What `evaluate` and `report` share: a stored scan and how to render it.
struct StoredScanOptions: ParsableArguments {
    @OptionGroup var catalog: CatalogOption
    @Option(help: ArgumentHelp("Scan id (default: the latest; `amigo scans` lists them).", valueName: "id"))
    var scan: Int64?
    @OptionGroup var output: OutputOptions
}
