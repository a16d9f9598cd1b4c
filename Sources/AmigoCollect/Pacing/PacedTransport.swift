import AmigoAWS
import Foundation
import Synchronization

/// Keeps every (account, region, service, action) under AWS's token bucket, so a large
/// account×region waits on the client instead of being throttled and retried.
///
/// A request takes its token only when it also holds one of `maxInFlight` slots, the
/// connections the inner transport runs at once: a token taken while the request still
/// queued for a connection would be spent later than the model assumes, and a queue that
/// drains in a burst overruns the server's bucket (`PacingScheduler`). Every attempt passes
/// here, retries and AssumeRole calls inside credential providers included, and a
/// throttling answer empties the bucket's model.
public final class PacedTransport: Transport {
    let inner: any Transport
    let limits: PacingLimits
    private let scheduler: PacingScheduler
    private let buckets = Mutex<[BucketKey: Int]>([:])
    private let unpaced: Int
    private let clock: @Sendable () -> Double
    /// The clock is `HTTPResponse.uptime`, so an answer's `receivedAt` can be compared with it.
    private let sharesResponseClock: Bool

    /// `clock`: nil for the real one; a test's own clock ignores the transport's time stamps.
    public init(wrapping inner: any Transport, limits: PacingLimits, maxInFlight: Int,
                clock: (@Sendable () -> Double)? = nil) {
        self.inner = inner; self.limits = limits
        self.clock = clock ?? HTTPResponse.uptime
        sharesResponseClock = clock == nil
        scheduler = PacingScheduler(slots: maxInFlight, clock: self.clock)
        unpaced = scheduler.addBucket(nil)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let bucket = BucketKey(request).map(bucket(for:)) ?? unpaced
        let queued = clock()
        try await scheduler.admit(bucket)
        // Waiting here is amigo's own pacing, not the endpoint's slowness: the call's deadline
        // does not count it (`CallDeadline`).
        CallDeadline.current?.extend(by: clock() - queued)
        if Task.isCancelled {
            scheduler.release(bucket, throttled: false)
            throw CancellationError()
        }
        let response: HTTPResponse
        do {
            response = try await inner.send(request)
        } catch {
            scheduler.release(bucket, throttled: false)
            throw error
        }
        let ended = sharesResponseClock ? response.receivedAt : nil
        scheduler.release(bucket, throttled: bucket != unpaced && Self.isThrottling(response), endedAt: ended)
        return response
    }

    private func bucket(for key: BucketKey) -> Int {
        buckets.withLock { buckets in
            if let bucket = buckets[key] { return bucket }
            let model = limits.bucket(service: String(key.service), action: String(key.action)).map {
                TokenBucket($0, reserveSeconds: limits.reserveSeconds, rateMargin: limits.rateMargin)
            }
            let bucket = model == nil ? unpaced : scheduler.addBucket(model)
            buckets[key] = bucket
            return bucket
        }
    }

    static func isThrottling(_ response: HTTPResponse) -> Bool {
        guard response.status >= 400 else { return false }
        let text = String(decoding: response.body.prefix(4096), as: UTF8.self)
        return AWSError.throttlingCodes.contains { text.contains($0) }
    }
}
