import AmigoKit
import ArgumentParser

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print amigo's version; with --verbose, where its bundled files were found.")

    @Flag(help: "Also print the binary's path, the data directory (and why it was chosen) and each bundled file.")
    var verbose = false

    func run() {
        print(verbose ? BundledFiles.report() : AmigoVersion.current)
    }
}
