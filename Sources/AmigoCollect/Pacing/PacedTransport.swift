import AmigoAWS
import Foundation
import Synchronization

/// Keeps every (account, region, service, action) under AWS's token bucket, so a large
/// account×region waits on the client instead of being throttled and retried.
///
/// A request takes its token only when it also holds one of `maxInFlight` slots, the
/// connections the inner transport runs at once: a token taken while the request still
/// queued for a connection would be spent later than the model assumes, and a queue that
/// drains in a burst overruns the server's bucket. Requests of one bucket go in FIFO order;
/// only the head of each bucket queues for a slot, so buckets share the slots in turn.
/// Every attempt passes here, retries included, and a throttling answer empties the model.
public final class PacedTransport: Transport {
    let inner: any Transport
    let limits: PacingLimits
    let slots: AsyncLimiter
    let clock: @Sendable () -> Double
    private let gates = Mutex<[BucketKey: BucketGate]>([:])

    public init(wrapping inner: any Transport, limits: PacingLimits, maxInFlight: Int,
                clock: @escaping @Sendable () -> Double = PacedTransport.monotonicSeconds) {
        self.inner = inner; self.limits = limits; self.clock = clock
        slots = AsyncLimiter(limit: maxInFlight)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let gate = BucketKey(request).flatMap(gate(for:))
        if let gate {
            try await gate.admit(slots: slots, clock: clock)
        } else {
            await slots.acquire()
        }
        let response: HTTPResponse
        do {
            response = try await inner.send(request)
        } catch {
            await slots.release()
            throw error
        }
        await slots.release()
        if let gate, Self.isThrottling(response) { await gate.drain(at: clock()) }
        return response
    }

    private func gate(for key: BucketKey) -> BucketGate? {
        gates.withLock { gates in
            if let gate = gates[key] { return gate }
            guard let bucket = limits.bucket(service: String(key.service), action: String(key.action)) else {
                return nil
            }
            let gate = BucketGate(TokenBucket(bucket, reserveSeconds: limits.reserveSeconds,
                                              rateMargin: limits.rateMargin))
            gates[key] = gate
            return gate
        }
    }

    static func isThrottling(_ response: HTTPResponse) -> Bool {
        guard response.status >= 400 else { return false }
        let text = String(decoding: response.body.prefix(4096), as: UTF8.self)
        return AWSError.throttlingCodes.contains { text.contains($0) }
    }

    public static let monotonicSeconds: @Sendable () -> Double = {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}

/// One bucket's model and the FIFO of requests waiting to draw from it.
actor BucketGate {
    private var bucket: TokenBucket
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var head = 0

    init(_ bucket: TokenBucket) { self.bucket = bucket }

    /// Returns holding a slot of `slots` and having taken a token.
    nonisolated func admit(slots: AsyncLimiter, clock: @Sendable () -> Double) async throws {
        await enter()
        while true {
            let wait = await self.wait(at: clock())
            if wait <= 0 { break }
            do {
                try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            } catch {
                await leave()
                throw error
            }
        }
        await slots.acquire()
        await takeAndLeave(at: clock())
    }

    private func enter() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if head < waiting.count {
            let next = waiting[head]
            head += 1
            if head > 64 && head * 2 > waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
            next.resume()  // the turn passes straight on; `busy` stays set
        } else {
            waiting.removeAll(keepingCapacity: true)
            head = 0
            busy = false
        }
    }

    private func wait(at now: Double) -> Double { bucket.wait(at: now) }

    private func takeAndLeave(at now: Double) {
        bucket.take(at: now)
        leave()
    }

    func drain(at now: Double) { bucket.drain(at: now) }
}
