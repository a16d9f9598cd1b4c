import ArgumentParser

struct PoliciesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies",
        abstract: "Validate policy files; list the checks policies can use.",
        subcommands: [PoliciesValidateCommand.self, PoliciesListCommand.self])
}
