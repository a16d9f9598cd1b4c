import AmigoCollect
import ArgumentParser

/// Which accounts a scan reads: shared by the commands that scan and by `permissions`, which
/// prints what a scan with the same flags calls.
struct AccountSelectionOptions: ParsableArguments {
    @Flag(help: "Scan every ACTIVE account of the organisation (run with management-account credentials).")
    var org = false

    @Option(help: ArgumentHelp("Scan these account ids (comma-separated), by AssumeRole.", valueName: "ids"))
    var accounts: String?

    @Option(name: .customLong("ou"), help: ArgumentHelp(
        "With --org: only accounts under these OUs or roots, recursively (ou-…, r-…).", valueName: "ids"))
    var organizationalUnits: String?

    func validate() throws {
        if org && accounts != nil { throw ValidationError("--org and --accounts cannot be combined") }
        if organizationalUnits != nil && !org { throw ValidationError("--ou needs --org") }
        if let accounts {
            for id in Self.list(accounts) where !(id.count == 12 && id.allSatisfy(\.isNumber)) {
                throw ValidationError("--accounts: '\(id)' is not a 12-digit AWS account id")
            }
        }
    }

    /// `organization` also decides it (the demo is an organisation).
    func selection(organization: Bool = false) -> AccountSelection {
        org || organization ? .organization : accounts.map { .list(Self.list($0)) } ?? .caller
    }

    var units: [String] { organizationalUnits.map(Self.list) ?? [] }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
