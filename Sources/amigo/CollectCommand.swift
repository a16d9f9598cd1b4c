import AmigoKit
import ArgumentParser

struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect AMIs into the catalogue as a new scan, without evaluating.",
        discussion: """
        The calls made follow from the policies' checks (--collect full takes everything).
        Exit 3 when some account×region could not be read (unless --allow-partial).
        Example: amigo collect --org --record fixtures/my-org
        """)

    @OptionGroup var source: SourceOptions
    @OptionGroup var policies: PolicyOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var catalog: CatalogOption
    @OptionGroup var log: LogOptions

    @Flag(help: "Exit 0 even if some account×region could not be read.")
    var allowPartial = false

    func run() async throws {
        let run = ScanRun(policyFiles: policies.urls, catalogPath: catalog.path(), asOf: asOf.date,
                          source: try source.settings(), output: OutputSettings(allowPartial: allowPartial),
                          log: log.settings)
        throw await run.collectOnly(console: Console(quiet: log.quiet)).code
    }
}
