import Foundation

/// Where a run talks to people: results on stdout, diagnostics and progress on stderr.
public struct Console: Sendable {
    public var quiet: Bool
    public init(quiet: Bool = false) { self.quiet = quiet }

    public func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    public func err(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    public var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Runs a command body and turns what it throws into an exit status: a `UsageError` is
    /// exit 2; anything else is `otherwise` (exit 3 once AWS was touched, 2 before).
    func outcome(otherwise: ExitStatus, _ body: () async throws -> ExitStatus) async -> ExitStatus {
        do {
            return try await body()
        } catch let error as UsageError {
            err(error.message)
            return .usage
        } catch {
            err("error: \(error)")
            return otherwise
        }
    }
}
