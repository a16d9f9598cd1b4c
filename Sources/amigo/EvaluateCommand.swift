import AmigoKit
import ArgumentParser

struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate policies against a scan in the catalogue (no AWS calls), store the evaluation, write reports.",
        discussion: "Example: amigo evaluate --catalog reports/amigo.sqlite --policies policies/baseline.yml --fail-on high")

    @OptionGroup var options: StoredScanOptions
    @OptionGroup var policies: PolicyOptions
    @OptionGroup var framework: FrameworkOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var log: LogOptions

    func run() async throws {
        var run = StoredScanRun(catalogPath: options.catalogPath, scanID: options.scan,
                                policyFiles: policies.urls, asOf: asOf.date, output: options.output.settings())
        run.frameworks = framework.frameworks
        throw await run.evaluate(console: Console(quiet: log.quiet)).code
    }
}
