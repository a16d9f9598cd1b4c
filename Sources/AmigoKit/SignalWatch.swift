import Dispatch
import Foundation

/// Turns SIGINT/SIGTERM into a call instead of the default immediate death, for as long as
/// the watch runs: a scan being stopped can then cancel its work and record what it read.
/// `stop()` gives the signals their default action back.
final class SignalWatch {
    private let signals: [Int32]
    private let sources: [any DispatchSourceSignal]

    init(_ signals: [Int32], _ handler: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        sources = signals.map { number in
            // Ignored at the C level so only the dispatch source sees it.
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        for number in signals { Foundation.signal(number, SIG_DFL) }
    }
}

extension ExitStatus {
    /// The shell's convention for a run ended by a signal: 128 + its number.
    static func stopped(by signal: Int32) -> ExitStatus {
        signal == SIGINT ? .interrupted : .terminated
    }
}
