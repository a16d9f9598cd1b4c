import AmigoCollect
import AmigoKit
import ArgumentParser

struct PermissionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permissions",
        abstract: "Print the least-privilege IAM policy the enabled checks need.",
        discussion: "Example: amigo permissions --policies policies/baseline.yml --org > amigo-scanner-policy.json")

    @OptionGroup var policies: PolicyOptions
    @OptionGroup(title: "What the scan reads (as for scan and collect)") var selection: AccountSelectionOptions
    @Flag(help: "What --collect full needs.")
    var full = false
    @OptionGroup var log: LogOptions

    func run() async throws {
        throw PolicyCommands.permissions(policies.urls, accounts: selection.selection(),
                                         organizationalUnits: selection.units, full: full,
                                         console: Console(quiet: log.quiet)).code
    }
}
