import AmigoKit
import ArgumentParser

struct FrameworksListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the bundled frameworks: id (for --framework), name, version and control counts.")

    @OptionGroup var log: LogOptions

    func run() async throws {
        throw FrameworkCommands.list(console: Console(quiet: log.quiet)).code
    }
}
