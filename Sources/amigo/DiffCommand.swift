import AmigoKit
import ArgumentParser

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show findings that appeared or were resolved between two scans.",
        discussion: "Default: the latest evaluations of the two latest finished scans. Exit 1 when a new finding is at or above --fail-on.")

    @OptionGroup var catalog: CatalogOption
    @OptionGroup var log: LogOptions
    @Option(help: ArgumentHelp("The older scan id (its latest evaluation).", valueName: "id")) var from: Int64?
    @Option(help: ArgumentHelp("The newer scan id (its latest evaluation).", valueName: "id")) var to: Int64?
    @Option(name: .customLong("from-evaluation"), help: ArgumentHelp("The older evaluation id.", valueName: "id"))
    var fromEvaluation: Int64?
    @Option(name: .customLong("to-evaluation"), help: ArgumentHelp("The newer evaluation id.", valueName: "id"))
    var toEvaluation: Int64?
    @Option(name: .customLong("fail-on"), help: ArgumentHelp("critical, high, medium, low, info or none.", valueName: "severity"))
    var failOn = "info"

    func validate() throws {
        guard FailThreshold(failOn) != nil else { throw ValidationError("--fail-on must be critical, high, medium, low, info or none") }
    }

    func run() async throws {
        throw await History.diff(catalogPath: catalog.catalog, from: .init(scan: from, evaluation: fromEvaluation),
                                 to: .init(scan: to, evaluation: toEvaluation), failOn: FailThreshold(failOn) ?? .any,
                           console: Console(quiet: log.quiet)).code
    }
}
