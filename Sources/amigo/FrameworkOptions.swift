import AmigoKit
import ArgumentParser

/// `--framework ID` on scan, evaluate and report, checked against the bundled framework files.
struct FrameworkOptions: ParsableArguments {
    @Option(name: .customLong("framework"), help: ArgumentHelp(
        "Report per control of this framework (repeatable; `amigo frameworks list`).",
        discussion: """
        Each control is pass, fail, manual (a person judges it) or not-evaluated (its policy is \
        not in the evaluation, or part of its scope was not read: never a pass). On scan and \
        evaluate it also enables the bundled policies the framework needs that --policies lacks \
        (without --policies, only those), and the summary names them.
        """, valueName: "id"))
    var ids: [FrameworkID] = []

    var frameworks: [String] { ids.map(\.id) }

    func validate() throws {
        guard !ids.isEmpty else { return }
        switch FrameworkCommands.knownIds() {
        case .failure(let error): throw ValidationError(error.description)
        case .success(let known):
            for id in frameworks where !known.contains(id) {
                throw ValidationError("unknown framework '\(id)'; known: \(known.joined(separator: ", ")) (`amigo frameworks list`)")
            }
        }
    }
}

/// A framework id as `--framework` takes it; `validate()` checks it names a loaded framework.
struct FrameworkID: ExpressibleByArgument, Sendable {
    var id: String
    init?(argument: String) {
        guard !argument.isEmpty else { return nil }
        id = argument
    }
    /// For `--help` and completion only; `validate()` reports a framework file that does not load.
    static var allValueStrings: [String] {
        (try? FrameworkCommands.knownIds().get()) ?? []
    }
}
