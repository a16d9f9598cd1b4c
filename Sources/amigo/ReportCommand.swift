import AmigoKit
import ArgumentParser

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render reports of a stored evaluation, exactly as it was stored.",
        discussion: """
        Default: the latest evaluation of the scan (`amigo scans` lists them); to judge a
        scan with other policies or another as-of time, `amigo evaluate` it.
        Example: amigo report --catalog reports/amigo.sqlite --scan 3 --evaluation 5 --format html,markdown
        """)

    @OptionGroup var options: StoredScanOptions
    @Option(help: ArgumentHelp("Evaluation id (default: the scan's latest).", valueName: "id"))
    var evaluation: Int64?
    @OptionGroup var log: LogOptions

    func run() async throws {
        let run = StoredScanRun(catalogPath: options.catalogPath, scanID: options.scan, evaluationID: evaluation,
                                output: options.output.settings(gates: false))
        throw await run.report(console: Console(quiet: log.quiet)).code
    }
}
