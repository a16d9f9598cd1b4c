import Foundation

/// The order reports list images in (account, region, image id, as `Finding.reportOrder`
/// compares them), computed without a million-element comparison sort of strings: images are
/// bucketed by account×region rank, and the buckets are sorted by image id in parallel.
enum ReportOrder {
    static func permutation(of images: [Image]) -> [Int] {
        let accountRank = ranks(images.lazy.map(\.accountId))
        let regionRank = ranks(images.lazy.map(\.region))
        var buckets = Array(repeating: [Int](), count: accountRank.count * max(1, regionRank.count))
        for (i, image) in images.enumerated() {
            buckets[accountRank[image.accountId]! * regionRank.count + regionRank[image.region]!].append(i)
        }
        let slots = ResultSlots<[Int]>(count: buckets.count)
        let input = buckets
        DispatchQueue.concurrentPerform(iterations: input.count) { b in
            slots.store(input[b].sorted { images[$0].imageId < images[$1].imageId }, at: b)
        }
        var order: [Int] = []
        order.reserveCapacity(images.count)
        for bucket in slots.take() { order += bucket }
        return order
    }

    private static func ranks(_ values: some Sequence<String>) -> [String: Int] {
        let distinct = Set(values).sorted()
        return Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
    }
}

/// One slot per parallel task; each task writes only its own slot, which is what makes the
/// unchecked sendability sound.
final class ResultSlots<T>: @unchecked Sendable {
    private var values: [T?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func store(_ value: T, at index: Int) {
        lock.lock(); defer { lock.unlock() }
        values[index] = value
    }

    func take() -> [T] {
        lock.lock(); defer { lock.unlock() }
        return values.map { $0! }
    }
}
