/// An append-only list whose elements can be moved out without copying. Each parallel chunk
/// collects its findings in these; merging then moves a million findings into the result
/// arrays instead of copying them (a retain per string field) and destroying the originals.
/// One owner at a time: filled by one task, handed over, drained by the merging thread.
final class MovableList<Element>: @unchecked Sendable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func append(_ element: Element) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
            base = grown
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Moves every element into `destination` (uninitialized memory) and leaves the list empty,
    /// its buffer freed at once so merging never holds two full copies.
    func moveAll(to destination: UnsafeMutablePointer<Element>) {
        destination.moveInitialize(from: base, count: count)
        count = 0
        base.deallocate()
        capacity = 1
        base = .allocate(capacity: capacity)
    }

    static func concatenate(_ lists: [MovableList<Element>]) -> [Element] {
        let total = lists.reduce(0) { $0 + $1.count }
        return [Element](unsafeUninitializedCapacity: total) { buffer, initialized in
            for list in lists {
                let n = list.count
                list.moveAll(to: buffer.baseAddress! + initialized)
                initialized += n
            }
        }
    }
}
