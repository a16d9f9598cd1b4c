import AmigoCollect
import AmigoKit
import ArgumentParser

extension PermissionsFormat: ExpressibleByArgument {}

struct PermissionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permissions",
        abstract: "Print the least-privilege IAM policy the enabled checks need.",
        discussion: "Example: amigo permissions --policies policies/baseline.yml --org > amigo-scanner-policy.json")

    @OptionGroup var policies: PolicyOptions
    @OptionGroup(title: "What the scan reads (as for scan and collect)") var selection: AccountSelectionOptions
    @Flag(help: "What --collect full needs.")
    var full = false
    @Option(help: "json (the IAM policy), cloudformation or terraform (the member-account role with exactly those actions).")
    var format: PermissionsFormat = .json
    @OptionGroup var log: LogOptions

    func run() async throws {
        throw PolicyCommands.permissions(policies.urls, accounts: selection.selection(),
                                         organizationalUnits: selection.units, full: full, format: format,
                                         console: Console(quiet: log.quiet)).code
    }
}
