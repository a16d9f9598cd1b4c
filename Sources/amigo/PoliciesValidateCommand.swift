import AmigoKit
import ArgumentParser
import Foundation

struct PoliciesValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check policy files; errors are printed as file:line:column. Exit 2 if any is invalid.")

    @Argument(help: ArgumentHelp("Policy files (default: policies/baseline.yml).", valueName: "file"))
    var files: [String] = []
    @OptionGroup var log: LogOptions

    func run() async throws {
        throw PolicyCommands.validate(files.map { URL(fileURLWithPath: $0) }, console: Console(quiet: log.quiet)).code
    }
}
