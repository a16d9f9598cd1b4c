import Foundation

/// The order reports list images in (account, region, image id, as `Finding.reportOrder`
/// compares them), computed without a million-element comparison sort of strings: images are
/// bucketed by account×region rank, and the buckets are sorted by image id in parallel.
enum ReportOrder {
    static func permutation(of images: [Image]) -> [Int] {
        // Through a buffer pointer so reading a field does not copy the whole (large) Image.
        images.withUnsafeBufferPointer { images in
            let accountRank = ranks(images, .account)
            let regionRank = ranks(images, .region)
            var buckets = Array(repeating: [Int](), count: accountRank.count * max(1, regionRank.count))
            for i in images.indices {
                buckets[accountRank[images[i].accountId]! * regionRank.count + regionRank[images[i].region]!].append(i)
            }
            let slots = ResultSlots<[Int]>(count: buckets.count)
            let shared = SharedBuffer(images), input = buckets
            DispatchQueue.concurrentPerform(iterations: input.count) { b in
                let images = shared.buffer
                slots.store(input[b].sorted { images[$0].imageId < images[$1].imageId }, at: b)
            }
            var order: [Int] = []
            order.reserveCapacity(images.count)
            for bucket in slots.take() { order += bucket }
            return order
        }
    }

    private static func ranks(_ images: UnsafeBufferPointer<Image>, _ field: Field) -> [String: Int] {
        var distinct: Set<String> = []
        var last = ""
        for i in images.indices {
            let value = field == .account ? images[i].accountId : images[i].region
            if value != last || distinct.isEmpty {
                distinct.insert(value)
                last = value
            }
        }
        return Dictionary(uniqueKeysWithValues: distinct.sorted().enumerated().map { ($1, $0) })
    }

    private enum Field { case account, region }
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

/// A read-only view of an array that parallel workers share while its owner keeps the array
/// alive and unmodified (inside `withUnsafeBufferPointer`); the elements are Sendable.
struct SharedBuffer<Element: Sendable>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Element>
    init(_ buffer: UnsafeBufferPointer<Element>) { self.buffer = buffer }
}
