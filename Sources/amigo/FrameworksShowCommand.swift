import AmigoKit
import ArgumentParser

struct FrameworksShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a framework's controls: the policies that evidence each (and their pack), manual reasons, sources.")

    @Argument(help: ArgumentHelp("Framework id (`amigo frameworks list`).", valueName: "id"))
    var id: FrameworkID
    @OptionGroup var log: LogOptions

    func run() async throws {
        throw FrameworkCommands.show(id.id, console: Console(quiet: log.quiet)).code
    }
}
