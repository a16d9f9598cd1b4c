@testable import AmigoKit
import AmigoCatalog
import AmigoCore
import Foundation
import Testing

/// Batches delivered at once from many tasks are all written, one by one, and
/// each caller hears about its own batch only.
@Suite struct BatchRecorderTests {
    private static func batch(_ index: Int) -> RegionBatch {
        let region = "region-\(index)"
        return RegionBatch(accountId: "111122223333", region: region, images: (0..<3).map {
            Image(accountId: "111122223333", region: region, imageId: "ami-\(index)-\($0)", ownerId: "111122223333",
                  state: "available", isPublic: false)
        })
    }

    @Test func everyBatchLandsAndOnlyTheBadOneFails() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-recorder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try Catalog(path: directory.appendingPathComponent("c.sqlite").path)
        let scan = try catalog.startScan(startedAt: Date(), asOf: Date(), source: "t", policyText: "[]", options: "")
        let recorder = BatchRecorder(catalog: catalog, scan: scan)
        let bad = {
            var batch = Self.batch(7)
            batch.images[2].accountId = "444455556666"
            return batch
        }()

        let outcomes = await withTaskGroup(of: (Int, String?).self) { group in
            for index in 0..<40 {
                group.addTask {
                    do {
                        try await recorder.record(index == 7 ? bad : Self.batch(index))
                        return (index, nil)
                    } catch {
                        return (index, String(describing: error))
                    }
                }
            }
            return await group.reduce(into: [Int: String?]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.count == 40)
        #expect(outcomes.filter { $0.value != nil }.keys.sorted() == [7])
        #expect(outcomes[7]??.contains("region region-7") == true)
        let inventory = try catalog.inventory(scan: scan)
        #expect(inventory.images.count == 39 * 3)
        #expect(Set(inventory.coverage.map(\.region)) == Set((0..<40).filter { $0 != 7 }.map { "region-\($0)" }))
    }
}
