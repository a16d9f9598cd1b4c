@testable import AmigoCatalog
@testable import AmigoKit
import AmigoCore
import Foundation
import GRDB
import Synchronization
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

    /// Batches waiting for SQLite's writer lock must leave the concurrency pool's threads free:
    /// the answers still due at the end of a scan need them. Another connection holds the lock
    /// while more batches than the pool has threads are delivered; a task that needs a pool
    /// thread must still run before the lock is let go. Written on the delivering threads (as
    /// before `BatchRecorder`), the batches held every pool thread until SQLite's busy timeout
    /// (10 s) failed them.
    @Test func batchesWaitingForTheWriterHoldNoPoolThread() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-recorder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("c.sqlite").path
        let catalog = try Catalog(path: path)
        let scan = try catalog.startScan(startedAt: Date(), asOf: Date(), source: "t", policyText: "[]", options: "")
        let holder = try Catalog(path: path)
        let held = DispatchSemaphore(value: 0)
        let letGo = DispatchSemaphore(value: 0)
        let lockHeld = Atomic<Bool>(true)
        Thread {
            do {
                try holder.writer.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    held.signal()
                    letGo.wait()
                    lockHeld.store(false, ordering: .releasing)
                    try db.execute(sql: "COMMIT")
                }
            } catch {
                held.signal()
            }
        }.start()
        held.wait()

        let recorder = BatchRecorder(catalog: catalog, scan: scan)
        let count = 2 * ProcessInfo.processInfo.activeProcessorCount + 2
        let writes = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count { group.addTask { try await recorder.record(Self.batch(index)) } }
                try await group.waitForAll()
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        let ranWhileHeld = await Task.detached { lockHeld.load(ordering: .acquiring) }.value
        letGo.signal()
        try await writes.value
        #expect(ranWhileHeld, "a task found a pool thread while the batches waited for the writer")
        #expect(try catalog.inventory(scan: scan).images.count == count * 3)
    }
}
