@testable import AmigoCatalog
import AmigoCore
import Foundation
import Synchronization
import Testing

/// A finished scan in a file is read back by several connections at once; what `forEachBatch`
/// hands out must not depend on how many. A running scan is read by one (its rows may still
/// change), whatever is asked.
@Suite struct ParallelReadTests {
    /// Nine account×regions of different sizes, with snapshots, settings and errors in some.
    private func recordScan(_ catalog: Catalog, finish: Bool) throws -> Int64 {
        let scan = try catalog.startTestScan()
        let accounts = ["111122223333", "444455556666", "777788889999"]
        let regions = ["eu-west-1", "us-east-1", "ap-south-1"]
        for (a, account) in accounts.enumerated() {
            for (r, region) in regions.enumerated() {
                let size = 1 + (a * 3 + r) % 4
                var images = Sample.images(size, account: account, region: region)
                images[0].tags = [Tag("team", "t\(a)\(r)")]
                try catalog.record(RegionBatch(
                    accountId: account, region: region, images: images,
                    snapshots: r == 1 ? [Snapshot(accountId: account, region: region, snapshotId: "snap-\(a)",
                                                  encrypted: a == 0)] : [],
                    settings: r == 2 ? RegionSettings(accountId: account, region: region, ebsEncryptionByDefault: true) : nil,
                    errors: a == 2 ? [ScanError(accountId: account, region: region, operation: "DescribeSnapshots",
                                                code: "Throttling", message: "slow down")] : []), scan: scan)
            }
        }
        if finish { try catalog.finishScan(scan, finishedAt: at(1_700_000_100), status: .complete) }
        return scan
    }

    private func batches(_ catalog: Catalog, scan: Int64, readers: Int) throws -> [RegionBatch] {
        var batches: [RegionBatch] = []
        try catalog.forEachBatch(scan: scan, readers: readers) { batches.append($0) }
        return batches
    }

    @Test(arguments: [2, 3, 4, 12])
    func severalReadersHandOutWhatOneDoes(readers: Int) throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.catalogPath)
        let scan = try recordScan(catalog, finish: true)
        let one = try batches(catalog, scan: scan, readers: 1)
        #expect(one.count == 9)
        #expect(one.flatMap(\.images) == (try catalog.inventory(scan: scan)).images)
        #expect(try batches(catalog, scan: scan, readers: readers) == one)
    }

    @Test func aRunningScanGivesTheSameBatchesWhateverTheReaders() throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.catalogPath)
        let scan = try recordScan(catalog, finish: false)
        #expect(try batches(catalog, scan: scan, readers: 4) == (try batches(catalog, scan: scan, readers: 1)))
    }

    @Test func itemsComeInIndexOrderAndNoWorkerRunsFarAhead() throws {
        let made = Atomic<Int>(0)
        let consumedCount = Atomic<Int>(0)
        let furthest = Atomic<Int>(0)
        var consumed: [Int] = []
        try OrderedPrefetch.run(count: 40, workers: 3, ahead: 2, session: { body in try body(()) }, make: { _, index in
            // Uneven work, so workers finish out of order.
            if index % 5 == 0 { usleep(2_000) }
            let lead = made.add(1, ordering: .relaxed).newValue - consumedCount.load(ordering: .relaxed)
            _ = furthest.max(lead, ordering: .relaxed)
            return index
        }, consume: { item in
            consumed.append(item)
            consumedCount.add(1, ordering: .relaxed)
        })
        #expect(consumed == Array(0..<40))
        // Three workers, each at most two items ahead of the caller, plus the one being handed over.
        #expect(furthest.load(ordering: .relaxed) <= 3 * 2 + 1)
    }

    struct Broken: Error, Equatable { let index: Int }

    @Test func theFirstFailureStopsEveryWorkerAndIsThrown() {
        let made = Mutex<[Int]>([])
        var consumed: [Int] = []
        #expect(throws: Broken(index: 7)) {
            try OrderedPrefetch.run(count: 1_000, workers: 3, session: { body in try body(()) }, make: { _, index in
                if index == 7 { throw Broken(index: 7) }
                made.withLock { $0.append(index) }
                return index
            }, consume: { consumed.append($0) })
        }
        #expect(consumed == Array(0..<consumed.count), "what was handed out is a prefix")
        #expect(consumed.count <= 7)
        #expect(made.withLock { $0.count } < 30, "the workers stopped soon after the failure")
    }
}
