import AmigoKit
import ArgumentParser

struct ScansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scans", abstract: "List the scans stored in the catalogue, newest first.")

    @OptionGroup var catalog: CatalogOption
    @OptionGroup var log: LogOptions

    func run() async throws {
        throw await History.list(catalogPath: catalog.path(), console: Console(quiet: log.quiet)).code
    }
}
