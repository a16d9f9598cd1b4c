/// The CI contract (README "Exit codes"): what each outcome of a run exits with.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Complete; nothing at or above `--fail-on`.
    case clean = 0
    /// Findings at or above `--fail-on`.
    case findings = 1
    /// Usage or configuration error; nothing was scanned and no report was written.
    case usage = 2
    /// Some account×region could not be read (and `--allow-partial` was not given). An
    /// incomplete scan outranks findings: a gate must not pass on data it did not see.
    case incomplete = 3
    /// Stopped by SIGINT (Ctrl-C): the scan is `interrupted`, unread regions are "not read".
    case interrupted = 130
    /// Stopped by SIGTERM, likewise.
    case terminated = 143

    public static func decide(findings: some Sequence<AmigoCore.Finding>, failOn: FailThreshold,
                              incomplete: Bool, allowPartial: Bool) -> ExitStatus {
        if incomplete && !allowPartial { return .incomplete }
        if case .severity(let floor) = failOn, findings.contains(where: { $0.severity >= floor }) {
            return .findings
        }
        return .clean
    }
}

import AmigoCore

/// `--fail-on`: the least severe finding that fails the run, or `none`.
public enum FailThreshold: Sendable, Hashable {
    case severity(Severity)
    case none

    public init?(_ text: String) {
        if text == "none" { self = .none; return }
        guard let s = Severity(rawValue: text) else { return nil }
        self = .severity(s)
    }

    /// Default: any finding fails.
    public static let any = FailThreshold.severity(.info)
}

/// A problem with flags, files or configuration: exit 2, nothing scanned.
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// Lines already in `file:line:column: error: …` form are printed as they are.
    public var located: Bool
    public init(_ description: String, located: Bool = false) {
        self.description = description; self.located = located
    }
    public var message: String { located ? description : "error: \(description)" }
}
