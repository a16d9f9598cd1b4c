import AmigoKit
import ArgumentParser

struct PoliciesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every check: why it matters, how to fix a finding, its parameters, the data and IAM actions it needs, and examples.")

    @Option(help: "text: every check in full; markdown: the table of checks README.md embeds.")
    var format: PolicyCommands.ListFormat = .text
    @OptionGroup var log: LogOptions

    func run() async throws {
        Console(quiet: log.quiet).out(PolicyCommands.list(format: format))
    }
}

extension PolicyCommands.ListFormat: ExpressibleByArgument {}
