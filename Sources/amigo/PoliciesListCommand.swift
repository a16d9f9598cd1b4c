import AmigoKit
import ArgumentParser

struct PoliciesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every check with its parameters, the data and IAM actions it needs, and examples.")

    @OptionGroup var log: LogOptions

    func run() async throws {
        Console(quiet: log.quiet).out(PolicyCommands.list())
    }
}
