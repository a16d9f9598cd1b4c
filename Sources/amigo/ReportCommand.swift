import AmigoKit
import ArgumentParser

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render reports for a stored scan, with the policies and as-of time it was scanned with.",
        discussion: "Example: amigo report --catalog reports/amigo.sqlite --scan 3 --format html,markdown")

    @OptionGroup var options: StoredScanOptions

    func run() async throws {
        throw await options.run.report(console: Console()).code
    }
}
