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

/// The deadline of the AWS call the current task is making (`AWSClient` binds it), which
/// layers below it can push back for time that is not the endpoint's: the pacer does, for the
/// time a request waited for its token.
public final class CallDeadline: Sendable {
    @TaskLocal public static var current: CallDeadline?

    public let seconds: Double
    private let expiry: Mutex<Double>

    init(seconds: Double) {
        self.seconds = seconds
        expiry = Mutex(Self.now() + seconds)
    }

    public func extend(by seconds: Double) {
        guard seconds > 0 else { return }
        expiry.withLock { $0 += seconds }
    }

    var remaining: Double { expiry.withLock { $0 } - Self.now() }

    /// Returns once the deadline has passed; throws if cancelled first.
    func expired() async throws {
        while true {
            let left = remaining
            if left <= 0 { return }
            try await sleep(min(left, 3600) + 0.001)
        }
    }

    /// Sleeps, and gives back what this process overslept: a wake-up far later than asked
    /// means amigo itself could not run (a loaded host, a suspended laptop), which is not the
    /// endpoint's silence.
    func sleep(_ seconds: Double) async throws {
        let asleep = Self.now()
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
        let late = Self.now() - asleep - seconds
        if late > Self.lateWake { extend(by: late) }
    }

    static let lateWake = 1.0

    /// `send`'s answer, unless the deadline passes first: then `send` is cancelled and the
    /// exchange is a timeout.
    func race(_ request: HTTPRequest, on transport: any Transport) async throws -> HTTPResponse {
        try await withThrowingTaskGroup(of: HTTPResponse?.self) { group in
            group.addTask { try await transport.send(request) }
            group.addTask {
                try await self.expired()
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else {
                throw TransportError(kind: .timeout, url: request.url.absoluteString,
                                     detail: "no answer within the call's \(Self.format(seconds)) s deadline")
            }
            return response
        }
    }

    public static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
