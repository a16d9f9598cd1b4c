import AmigoKit
import ArgumentParser

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render reports for a stored scan, with the policies and as-of time it was scanned with.",
        discussion: "Example: amigo report --catalog reports/amigo.sqlite --scan 3 --format html,markdown")

    @OptionGroup var catalog: CatalogOption
    @Option(help: ArgumentHelp("Scan id (default: the latest).", valueName: "id"))
    var scan: Int64?
    @OptionGroup var policies: PolicyOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var asOf: AsOfOption

    func run() async throws {
        let run = StoredScanRun(catalogPath: catalog.catalog, scanID: scan, policyFiles: policies.urls,
                                asOf: asOf.date, output: output.settings)
        throw run.report(console: Console()).code
    }
}
