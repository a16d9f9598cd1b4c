import Foundation
import Synchronization

/// How long amigo waits on AWS. A silent endpoint (a black-holed region, a proxy that accepts
/// and never answers) must fail a scan in under a minute, not after curl's and the retries'
/// minutes, so that a CI gate stays usable.
public struct Timeouts: Sendable, Hashable {
    /// Seconds to establish a connection (TCP and TLS), per attempt.
    public var connect: Double
    /// Seconds one HTTP exchange (one attempt) may take.
    public var exchange: Double
    /// Seconds one AWS call may take, every attempt and backoff included (time queued behind
    /// amigo's own pacing excluded: that is bounded by the pacer, not by the endpoint).
    public var call: Double

    public init(connect: Double, exchange: Double, call: Double) {
        self.connect = connect; self.exchange = exchange; self.call = call
    }

    /// A silent region fails at the call deadline (40 s); a refused connection after eight
    /// quick attempts; one lost answer still gets retried twice within the deadline.
    public static let standard = Timeouts(connect: 5, exchange: 15, call: 40)
}

/// The deadline of the AWS call the current task is making (`AWSClient` binds it): a budget
/// of seconds that runs only while the call waits on the network or backs off, so that what
/// is not the endpoint's time never counts: layers below push it back for their own queueing
/// (the pacer does, for the time a request waited for its token), and a wake-up far later than
/// asked (a loaded host, a suspended laptop: amigo itself could not run) is given back.
public final class CallDeadline: Sendable {
    @TaskLocal public static var current: CallDeadline?

    public let seconds: Double
    private struct Budget {
        var left: Double
        var runningSince: Double?
    }
    private let budget: Mutex<Budget>

    init(seconds: Double) {
        self.seconds = seconds
        budget = Mutex(Budget(left: seconds))
    }

    public func extend(by seconds: Double) {
        guard seconds > 0 else { return }
        budget.withLock { $0.left += seconds }
    }

    var remaining: Double {
        let now = Self.now()
        return budget.withLock { b in b.left - (b.runningSince.map { now - $0 } ?? 0) }
    }

    private func run() { budget.withLock { $0.runningSince = Self.now() } }
    private func pause() {
        let now = Self.now()
        budget.withLock { b in
            if let since = b.runningSince { b.left -= now - since }
            b.runningSince = nil
        }
    }

    /// Backs off before the next attempt; the wait counts against the deadline.
    func backoff(_ seconds: Double) async {
        run()
        defer { pause() }
        try? await nap(seconds)
    }

    /// Sleeps, giving back an oversleep (a loaded host, a suspended laptop: amigo itself could
    /// not run meanwhile).
    private func nap(_ seconds: Double) async throws {
        let asleep = Self.now()
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
        let late = Self.now() - asleep - seconds
        if late > Self.lateWake { extend(by: late) }
    }

    static let lateWake = 0.2

    /// One exchange, its time counted against the deadline. The live transport ends it at the
    /// deadline itself (`CurlTransport` caps curl's timeout at `remaining`), so no timer task
    /// races each call: two child tasks and a sleeping timer per request held memory per waiting
    /// call and cost thread wake-ups, most visibly on a loaded host. A transport that never answers must honour
    /// `CallDeadline.current` the same way (replay answers at once).
    func exchange(_ request: HTTPRequest, on transport: any Transport) async throws -> HTTPResponse {
        run()
        defer { pause() }
        return try await transport.send(request)
    }

    public static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
