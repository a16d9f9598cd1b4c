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
        With --framework the reports add its per-control rollup; a control whose policies the
        evaluation lacks is not-evaluated (evaluate with --framework to enable them).
        """)

    @OptionGroup var options: StoredScanOptions
    @Option(help: ArgumentHelp("Evaluation id (default: the scan's latest).", valueName: "id"))
    var evaluation: Int64?
    @OptionGroup var framework: FrameworkOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        var run = StoredScanRun(catalogPath: options.catalogPath, scanID: options.scan, evaluationID: evaluation,
                                output: options.output.settings(gates: false))
        run.frameworks = framework.frameworks
        throw await run.report(console: Console(quiet: log.quiet)).code
    }
}
