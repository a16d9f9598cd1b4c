import AmigoKit
import ArgumentParser

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render reports of a stored evaluation, exactly as it was stored.",
        discussion: """
        Default: the latest evaluation of the scan (`amigo scans` lists them); to judge a
        scan with other policies or another as-of time, `amigo evaluate` it.
        With --trend: the history of the scan's scope (same source, accounts and regions) from
        the catalogue alone, as trend.html, trend.md and trend.json (of the --format given).
        Example: amigo report --catalog reports/amigo.sqlite --scan 3 --evaluation 5 --format html,markdown
        Example: amigo report --catalog reports/amigo.sqlite --trend --last 8 --format html,markdown
        With --framework the reports add its per-control rollup; a control whose policies the
        evaluation lacks is not-evaluated (evaluate with --framework to enable them).
        """)

    @OptionGroup var options: StoredScanOptions
    @Option(help: ArgumentHelp("Evaluation id (default: the scan's latest).", valueName: "id"))
    var evaluation: Int64?
    @OptionGroup var framework: FrameworkOptions
    @Flag(help: "Write the trend of the scan's scope over the catalogue's history instead of the scan's findings.")
    var trend = false
    @Option(help: ArgumentHelp("With --trend: how many scans, the reported one the last (default: 12).", valueName: "n"))
    var last: Int?
    @OptionGroup var log: LogOptions

    func validate() throws {
        if last != nil && !trend { throw ValidationError("--last goes with --trend") }
        if let last, last < 1 { throw ValidationError("--last must be at least 1 (got \(last))") }
    }

    func run() async throws {
        let console = Console(quiet: log.quiet)
        let output = options.output.settings(gates: false)
        if trend {
            let report = TrendReport(catalogPath: options.catalogPath, scanID: options.scan, evaluationID: evaluation,
                                     last: last, output: output)
            throw await report.write(console: console).code
        }
        var run = StoredScanRun(catalogPath: options.catalogPath, scanID: options.scan, evaluationID: evaluation,
                                output: output)
        run.frameworks = framework.frameworks
        throw await run.report(console: console).code
    }
}
