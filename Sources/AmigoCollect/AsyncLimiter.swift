/// At most `limit` bodies run at once across every caller: a counting semaphore for async code.
public actor AsyncLimiter {
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) { self.limit = max(1, limit) }

    public func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    public func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            // The slot passes straight to the next waiter; `running` stays the same.
            waiting.removeFirst().resume()
        }
    }

    /// Runs `body` for every item, concurrently, never more than `limit` at once.
    public nonisolated func forEach<T: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            for item in items {
                await acquire()
                group.addTask {
                    await body(item)
                    await self.release()
                }
            }
        }
    }

    /// Maps every item concurrently under the limit, keeping the input order.
    public nonisolated func map<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async -> R) async -> [R] {
        await withTaskGroup(of: (Int, R).self) { group in
            for (index, item) in items.enumerated() {
                await acquire()
                group.addTask {
                    let value = await body(item)
                    await self.release()
                    return (index, value)
                }
            }
            var out = [R?](repeating: nil, count: items.count)
            for await (index, value) in group { out[index] = value }
            return out.map { $0! }
        }
    }
}
