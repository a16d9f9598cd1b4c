import ArgumentParser

struct FrameworksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frameworks",
        abstract: "List the compliance frameworks amigo maps, and show how each control is evidenced.",
        discussion: """
        Framework files (policies/frameworks/*.yml) map each control to the
        policies that evidence it, or say why it is manual, and cite where the
        control comes from (document, section, URL).
        Examples:
          amigo frameworks list
          amigo frameworks show cis-compute-1.0
          amigo scan --demo --framework cis-compute-1.0
        """,
        subcommands: [FrameworksListCommand.self, FrameworksShowCommand.self])
}
