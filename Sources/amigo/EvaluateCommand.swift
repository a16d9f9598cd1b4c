import AmigoKit
import ArgumentParser

struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate policies against a scan in the catalogue (no AWS calls) and write reports.",
        discussion: "Example: amigo evaluate --catalog reports/amigo.sqlite --policies policies/baseline.yml --fail-on high")

    @OptionGroup var catalog: CatalogOption
    @Option(help: ArgumentHelp("Scan id (default: the latest).", valueName: "id"))
    var scan: Int64?
    @OptionGroup var policies: PolicyOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var asOf: AsOfOption

    func run() async throws {
        let run = StoredScanRun(catalogPath: catalog.catalog, scanID: scan, policyFiles: policies.urls,
                                asOf: asOf.date, output: output.settings)
        throw run.evaluate(console: Console()).code
    }
}
