import AmigoKit
import ArgumentParser

struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate policies against a scan in the catalogue (no AWS calls) and write reports.",
        discussion: "Example: amigo evaluate --catalog reports/amigo.sqlite --policies policies/baseline.yml --fail-on high")

    @OptionGroup var options: StoredScanOptions

    func run() async throws {
        throw await options.run.evaluate(console: Console()).code
    }
}
