import Foundation
import Synchronization

/// Keeps each (account, region, action) under EC2's API rate limit, so a large account×region
/// spends its time waiting here rather than being throttled by AWS and retrying.
///
/// EC2 meters non-mutating actions per account, region and action with a token bucket (a
/// burst of 100, refilled at 20 per second). The pacer runs the same bucket on the client side
/// as a virtual schedule (GCRA): each call reserves the next instant its bucket allows.
public final class RequestPacer: Sendable {
    public struct Limit: Sendable, Hashable {
        public var burst: Double
        public var perSecond: Double
        public init(burst: Double, perSecond: Double) { self.burst = burst; self.perSecond = perSecond }
        /// EC2's published bucket for non-mutating actions.
        public static let ec2Describe = Limit(burst: 100, perSecond: 20)
    }

    private let limit: Limit?
    /// Theoretical arrival time per bucket, in seconds on the monotonic clock.
    private let schedule = Mutex<[String: Double]>([:])

    /// `nil` limit: no pacing (replayed fixtures, emulators that never throttle).
    public init(limit: Limit?) { self.limit = limit }

    public func pace(account: String, region: String, action: String) async {
        guard let limit else { return }
        let interval = 1 / limit.perSecond
        let now = Self.now()
        let allowedAt: Double = schedule.withLock { tats in
            let key = "\(account)/\(region)/\(action)"
            let tat = max(tats[key] ?? now, now)
            tats[key] = tat + interval
            return tat - (limit.burst - 1) * interval
        }
        let wait = allowedAt - now
        if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
