import AmigoKit
import ArgumentParser
import Foundation

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show findings that appeared or were resolved between two scans.",
        discussion: "Default: the latest evaluations of the two latest finished scans. Exit 0, or 1 when --fail-on is given and a new finding is at or above it.")

    @OptionGroup var catalog: CatalogOption
    @OptionGroup var log: LogOptions
    @Option(help: ArgumentHelp("The older scan id (its latest evaluation).", valueName: "id")) var from: Int64?
    @Option(help: ArgumentHelp("The newer scan id (its latest evaluation).", valueName: "id")) var to: Int64?
    @Option(name: .customLong("from-evaluation"), help: ArgumentHelp("The older evaluation id.", valueName: "id"))
    var fromEvaluation: Int64?
    @Option(name: .customLong("to-evaluation"), help: ArgumentHelp("The newer evaluation id.", valueName: "id"))
    var toEvaluation: Int64?
    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit 1 when a new finding is at least this severe (default: exit 0).", valueName: "severity"))
    var failOn: FailThreshold?
    @Option(help: ArgumentHelp("Also write the newer evaluation as reports, each finding marked new or existing and the resolved ones listed.",
                               valueName: "formats"))
    var format: FormatList?
    @Option(help: ArgumentHelp("Directory for --format's reports; `-` writes the one format to stdout.", valueName: "dir"))
    var output: String = "reports"
    @Option(name: .customLong("report-name"), help: ArgumentHelp("Report file names without extension ({date}, {scan}, {evaluation}).",
                                                                 valueName: "pattern"))
    var reportName: String?

    func run() async throws {
        let reports = format.map { list in
            OutputSettings(formats: list.formats,
                           destination: output == "-" ? .standardOutput : .directory(URL(fileURLWithPath: output)),
                           failOn: failOn ?? .none, allowPartial: true, reportName: reportName)
        }
        throw await History.diff(catalogPath: catalog.path(), from: .init(scan: from, evaluation: fromEvaluation),
                                 to: .init(scan: to, evaluation: toEvaluation), failOn: failOn ?? .none,
                                 reports: reports, console: Console(quiet: log.quiet)).code
    }
}
