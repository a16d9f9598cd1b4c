import Synchronization

/// At most `limit` bodies run at once across every caller: a counting semaphore for async
/// code. Taking a free slot does not suspend; only a caller that must wait does.
public final class AsyncLimiter: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }
    private let state: Mutex<State>
    public let limit: Int

    public init(limit: Int) {
        self.limit = max(1, limit)
        state = Mutex(State(free: self.limit))
    }

    public func acquire() async {
        let acquired = state.withLock { s -> Bool in
            guard s.free > 0 else { return false }
            s.free -= 1
            return true
        }
        if acquired { return }
        await withCheckedContinuation { continuation in
            // A release may have come between the two locks: take its slot now.
            let now = state.withLock { s -> Bool in
                if s.free > 0 {
                    s.free -= 1
                    return true
                }
                s.waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// `body` in one of the slots.
    public func holding<R>(_ body: () async throws -> R) async rethrows -> R {
        await acquire()
        defer { release() }
        return try await body()
    }

    public func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard s.head < s.waiting.count else {
                s.free += 1
                return nil
            }
            // The slot passes straight to the next waiter; `free` stays the same.
            let next = s.waiting[s.head]
            s.head += 1
            if s.head == s.waiting.count {
                s.waiting.removeAll(keepingCapacity: true)
                s.head = 0
            }
            return next
        }
        next?.resume()
    }

    /// Runs `body` for every item, concurrently, never more than `limit` at once. A discarding
    /// group frees each child as it finishes; a plain group keeps every finished child (its
    /// task and its stack) until the group ends, so memory grew with the items, not the limit.
    public func forEach<T: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async -> Void) async {
        await withDiscardingTaskGroup { group in
            for item in items {
                await acquire()
                group.addTask {
                    await body(item)
                    self.release()
                }
            }
        }
    }

    /// Maps every item concurrently under the limit, keeping the input order. A finished child
    /// stays in the group, task and stack, until its result is taken, so one is taken before
    /// another is added: the group holds at most `limit` children, however many items.
    public func map<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async -> R) async -> [R] {
        await withTaskGroup(of: (Int, R).self) { group in
            var out = [R?](repeating: nil, count: items.count)
            var children = 0
            for (index, item) in items.enumerated() {
                if children >= limit, let (done, value) = await group.next() {
                    out[done] = value
                    children -= 1
                }
                await acquire()
                group.addTask {
                    let value = await body(item)
                    self.release()
                    return (index, value)
                }
                children += 1
            }
            for await (index, value) in group { out[index] = value }
            return out.map { $0! }
        }
    }
}
