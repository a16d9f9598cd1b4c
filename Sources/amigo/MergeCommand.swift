import AmigoKit
import ArgumentParser

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the catalogues of a scan's shards (--shard I/N) into one scan.",
        discussion: """
        Shards of different scans (another plan, policies, --as-of, options or organisation),
        the same shard twice and shards that read the same account×region are refused (exit 2).
        A missing shard leaves its account×regions "not read": the merged scan is partial
        (exit 3, and `amigo evaluate` exits 3 on it).
        Example: amigo merge merged.sqlite shard-1.sqlite shard-2.sqlite shard-3.sqlite
        """)

    @Argument(help: ArgumentHelp("The catalogue the merged scan is added to (created if needed).", valueName: "out.sqlite"))
    var output: String

    @Argument(help: ArgumentHelp("The shards' catalogues (each one's newest shard scan is merged).", valueName: "shard.sqlite"))
    var shards: [String]

    @OptionGroup var log: LogOptions

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give at least one shard catalogue after the output catalogue") }
    }

    func run() async throws {
        throw await ShardMerge(output: output, shards: shards).run(console: Console(quiet: log.quiet)).code
    }
}
