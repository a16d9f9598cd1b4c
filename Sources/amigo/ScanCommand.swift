import AmigoKit
import ArgumentParser

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Collect AMIs into the catalogue, evaluate policies, write reports.",
        discussion: """
        Examples:
          amigo scan --demo                      (the bundled demo, offline)
          amigo scan --org --fail-on high --format json,sarif
          amigo scan --accounts 111122223333 --regions eu-west-1
          amigo scan --demo --framework cis-compute-1.0   (per-control rollup)
          AWS_ENDPOINT_URL=http://127.0.0.1:5000 amigo scan --org   (moto)

        Exit codes: 0 clean; 1 findings at or above --fail-on; 2 usage or policy
        error (nothing scanned); 3 some account×region could not be read;
        130/143 stopped by SIGINT/SIGTERM (reports, if written, mark unread regions "not read").
        """)

    @OptionGroup var source: SourceOptions
    @OptionGroup var policies: PolicyOptions
    @OptionGroup var framework: FrameworkOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var catalog: CatalogOption
    @OptionGroup var log: LogOptions

    func run() async throws {
        var run = ScanRun(policyFiles: policies.urls, catalogPath: catalog.path(beside: output.directory), asOf: asOf.date,
                          source: try source.settings(), output: output.settings(), log: log.settings)
        run.frameworks = framework.frameworks
        throw await run.scan(console: Console(quiet: log.quiet)).code
    }
}
