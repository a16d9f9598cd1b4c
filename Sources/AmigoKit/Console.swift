import AmigoCore
import Foundation
import Logging

/// Where a run talks to people: results on stdout, diagnostics and progress on stderr. Both
/// carry AWS text (error messages, tag values in findings), so nothing reaches the terminal
/// that could steer it: `InertText` neutralises every control but amigo's own line breaks, and
/// AWS text quoted inside a line goes through `InertText.line` first so it cannot break one.
public struct Console: Sendable {
    public var quiet: Bool
    public init(quiet: Bool = false) { self.quiet = quiet }

    public func out(_ text: String) {
        FileHandle.standardOutput.write(Self.terminalLines(text))
    }

    public func err(_ text: String) {
        FileHandle.standardError.write(Self.terminalLines(text))
    }

    static func terminalLines(_ text: String) -> Data {
        let inert = InertText.lines(text)
        return Data((inert.hasSuffix("\n") ? inert : inert + "\n").utf8)
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
            err("error: " + InertText.line(String(describing: error)))
            return otherwise
        }
    }
}

/// A log handler whose every record is one inert line: collectors log AWS error messages,
/// and a message or metadata value holding escapes or line breaks must not forge a record.
struct InertLogHandler: LogHandler {
    var inner: any LogHandler

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }
    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var inert = event
        inert.message = "\(InertText.line(event.message.description))"
        inert.metadata = event.metadata?.mapValues { .string(InertText.line($0.description)) }
        inner.log(event: inert)
    }
}
