import AmigoAWS
import AmigoCollect
import Foundation
import Logging

/// Progress on stderr: a live line on a terminal, a plain line every 10 s otherwise (CI logs),
/// nothing with `--quiet`.
struct ProgressDisplay: Sendable {
    let progress: AmigoCollect.Progress
    let stats: RequestStats
    let console: Console
    let quiet: Bool
    let started = Date()

    func run() async {
        guard !quiet else { return }
        let live = console.stderrIsTerminal
        let interval: UInt64 = live ? 250_000_000 : 10_000_000_000
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: interval)
            if Task.isCancelled { break }
            if live {
                FileHandle.standardError.write(Data("\r\u{1B}[K\(line())".utf8))
            } else {
                console.err(line())
            }
        }
    }

    func finish() {
        guard !quiet else { return }
        if console.stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        console.err("collected: \(line())")
    }

    func line() -> String {
        let p = progress.snapshot
        let s = stats.snapshot
        let elapsed = max(0.001, Date().timeIntervalSince(started))
        return String(format: "accounts %d  regions %d/%d  images %d  requests %d (%.0f/s)  retries %d  errors %d",
                      p.accounts, p.regionsDone, p.regionsPlanned, p.images, s.requests,
                      Double(s.requests) / elapsed, s.retries, p.errors)
    }
}

enum LogSetup {
    static func make(_ settings: LogSettings, console: Console) -> Logger {
        var logger = Logger(label: "amigo") { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .trace
            return InertLogHandler(inner: handler)
        }
        logger.logLevel = settings.quiet ? .error : (Logger.Level(rawValue: settings.level.rawValue) ?? .warning)
        return logger
    }
}
