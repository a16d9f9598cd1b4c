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
}
