import AmigoCatalog
import AmigoCore
import Foundation
import Testing

/// Collectors run account×regions in parallel and each hands its batch to the same catalogue.
@Suite struct ConcurrencyTests {
    @Test(arguments: Storage.allCases)
    func batchesFromConcurrentTasksAllLand(storage: Storage) async throws {
        let directory = try TemporaryDirectory()
        let catalog = try makeCatalog(storage, in: directory)
        let scan = try catalog.startTestScan()
        let regions = (0..<8).map { "region-\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for region in regions {
                group.addTask {
                    try catalog.record(RegionBatch(accountId: Sample.account, region: region,
                                                   images: Sample.images(5, region: region)), scan: scan)
                    // Readers see committed batches while others are still being written.
                    _ = try catalog.inventory(scan: scan)
                }
            }
            try await group.waitForAll()
        }
        let read = try catalog.inventory(scan: scan)
        #expect(Set(read.coverage.map(\.region)) == Set(regions))
        #expect(Set(read.images) == Set(regions.flatMap { Sample.images(5, region: $0) }))
    }
}
