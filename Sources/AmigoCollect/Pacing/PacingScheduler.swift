import Synchronization

/// Hands out the right to send: one of `slots` connections and, for a paced bucket, one
/// token of the client's model of it, both at the same moment.
///
/// Each bucket keeps its waiting requests in FIFO order. A bucket is *ready* when its head
/// request could take a token now; ready buckets share free slots in turn (round robin), so
/// one large account×region cannot starve the others, and a token is never taken for a
/// request that then waits for a connection. A bucket's very first request goes before every
/// other ready request: the server's bucket refills from that first arrival, so an
/// account×region ends (n − burst) / rate seconds after it, and when every account×region
/// starts at once the last one's first call otherwise waited behind all the others' bursts
/// (15–30 ms for 160 account×regions on 512 connections). A bucket short of tokens sleeps
/// until its next token is due. The common case (a token and a slot free, nobody queued)
/// takes one lock and never suspends. A waiting request that is cancelled (its call's
/// deadline passed) leaves the queue at once, holding neither a slot nor a token.
final class PacingScheduler: Sendable {
    struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct Bucket {
        var model: TokenBucket?   // nil: not paced, needs only a slot
        var waiting: [Waiter] = []
        var head = 0
        var scheduled = false     // in the ready list or sleeping until its next token

        var isEmpty: Bool { head == waiting.count }
        /// Takes a waiter out of the queue wherever it stands.
        mutating func remove(_ id: UInt64) -> Waiter? {
            guard let index = waiting[head...].firstIndex(where: { $0.id == id }) else { return nil }
            let waiter = waiting.remove(at: index)
            if head == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                head = 0
            }
            return waiter
        }
        mutating func pop() -> Waiter {
            let next = waiting[head]
            head += 1
            if head == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                head = 0
            }
            return next
        }
    }

    private struct State {
        var buckets: [Bucket] = []
        var ready = BucketQueue()
        /// Ready buckets that have never taken a token, served before `ready`.
        var fresh = BucketQueue()
        var free: Int
        var nextWaiter: UInt64 = 0
        /// Waiters cancelled before they could queue.
        var cancelledEarly: Set<UInt64> = []
    }

    private let state: Mutex<State>
    private let clock: @Sendable () -> Double
    private let alarm: BucketAlarm

    init(slots: Int, clock: @escaping @Sendable () -> Double) {
        state = Mutex(State(free: max(1, slots)))
        self.clock = clock
        alarm = BucketAlarm()
        // Weak: the alarm's thread must not keep the scheduler alive, which stops it when it goes.
        alarm.start { [weak self] buckets in self?.wake(buckets) }
    }

    deinit { alarm.stop() }

    /// Requests queued, in every bucket (for tests).
    var queued: Int { state.withLock { s in s.buckets.reduce(0) { $0 + $1.waiting.count - $1.head } } }

    /// A new bucket; `model` nil for requests that are not paced.
    func addBucket(_ model: TokenBucket?) -> Int {
        state.withLock { s in
            s.buckets.append(Bucket(model: model))
            return s.buckets.count - 1
        }
    }

    /// Returns holding a slot, having taken a token of `bucket`'s model; throws
    /// `CancellationError` (holding nothing) if the task is cancelled while it waits.
    func admit(_ bucket: Int) async throws {
        let now = clock()
        let admitted = state.withLock { s -> Bool in
            guard s.free > 0, s.buckets[bucket].isEmpty, !s.buckets[bucket].scheduled else { return false }
            if var model = s.buckets[bucket].model {
                guard model.wait(at: now) <= 0 else { return false }
                model.take(at: now)
                s.buckets[bucket].model = model
            }
            s.free -= 1
            return true
        }
        if admitted { return }
        let id = state.withLock { s -> UInt64 in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        let granted = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let (go, sleep, early) = state.withLock { s -> ([Waiter], [(Int, Double)], Bool) in
                    if s.cancelledEarly.remove(id) != nil { return ([], [], true) }
                    s.buckets[bucket].waiting.append(Waiter(id: id, continuation: continuation))
                    var sleep: [(Int, Double)] = []
                    if !s.buckets[bucket].scheduled { Self.schedule(bucket, &s, now: clock(), sleep: &sleep) }
                    return (Self.dispatch(&s, now: clock(), sleep: &sleep), sleep, false)
                }
                if early { continuation.resume(returning: false) }
                finish(go, sleep)
            }
        } onCancel: {
            let waiter = state.withLock { s -> Waiter? in
                if let waiter = s.buckets[bucket].remove(id) { return waiter }
                s.cancelledEarly.insert(id)
                return nil
            }
            waiter?.continuation.resume(returning: false)
        }
        // A cancellation that came too late to unqueue the request leaves its id behind.
        state.withLock { s in _ = s.cancelledEarly.remove(id) }
        if !granted { throw CancellationError() }
    }

    /// The exchange ended, answered or not, and gives its slot back. Its end (`endedAt`, when
    /// the transport stamped it; else now) anchors the bucket's refill; a throttling answer
    /// empties it.
    func release(_ bucket: Int, throttled: Bool, endedAt: Double? = nil) {
        let now = clock()
        let ended = min(endedAt ?? now, now)
        let (go, sleep) = state.withLock { s -> ([Waiter], [(Int, Double)]) in
            s.buckets[bucket].model?.ended(at: ended)
            if throttled { s.buckets[bucket].model?.drain(at: now) }
            s.free += 1
            var sleep: [(Int, Double)] = []
            return (Self.dispatch(&s, now: now, sleep: &sleep), sleep)
        }
        finish(go, sleep)
    }

    private func finish(_ go: [Waiter], _ sleep: [(Int, Double)]) {
        for waiter in go { waiter.continuation.resume(returning: true) }
        for (bucket, seconds) in sleep { alarm.set(bucket, after: seconds) }
    }

    private func wake(_ buckets: [Int]) {
        let (go, sleep) = state.withLock { s -> ([Waiter], [(Int, Double)]) in
            s.ready.append(contentsOf: buckets)
            var sleep: [(Int, Double)] = []
            return (Self.dispatch(&s, now: clock(), sleep: &sleep), sleep)
        }
        finish(go, sleep)
    }

    /// Puts a bucket with waiters in the ready list, or asks for a timer until its next token.
    private static func schedule(_ bucket: Int, _ s: inout State, now: Double, sleep: inout [(Int, Double)]) {
        s.buckets[bucket].scheduled = true
        let wait = s.buckets[bucket].model?.wait(at: now) ?? 0
        if wait <= 0 {
            if s.buckets[bucket].model?.isUntouched == true { s.fresh.append(bucket) } else { s.ready.append(bucket) }
        } else {
            sleep.append((bucket, wait))
        }
    }

    /// Gives free slots to ready buckets in turn; returns the requests that may go now.
    private static func dispatch(_ s: inout State, now: Double, sleep: inout [(Int, Double)]) -> [Waiter] {
        var go: [Waiter] = []
        while s.free > 0, let bucket = s.fresh.popFirst() ?? s.ready.popFirst() {
            s.buckets[bucket].scheduled = false
            // Its waiters were cancelled while it was ready or asleep.
            if s.buckets[bucket].isEmpty { continue }
            if var model = s.buckets[bucket].model {
                guard model.wait(at: now) <= 0 else {
                    s.buckets[bucket].model = model
                    schedule(bucket, &s, now: now, sleep: &sleep)
                    continue
                }
                model.take(at: now)
                s.buckets[bucket].model = model
            }
            s.free -= 1
            go.append(s.buckets[bucket].pop())
            if !s.buckets[bucket].isEmpty { schedule(bucket, &s, now: now, sleep: &sleep) }
        }
        s.ready.compact()
        s.fresh.compact()
        return go
    }
}

/// Bucket numbers in FIFO order; a pop moves a head, not the storage.
private struct BucketQueue {
    private var items: [Int] = []
    private var head = 0

    mutating func append(_ bucket: Int) { items.append(bucket) }
    mutating func append(contentsOf buckets: [Int]) { items.append(contentsOf: buckets) }

    mutating func popFirst() -> Int? {
        guard head < items.count else { return nil }
        head += 1
        return items[head - 1]
    }

    /// Drops the entries served once they are all served or outnumber those left.
    mutating func compact() {
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
