import AmigoCatalog
import AmigoCore
import Foundation

/// Writes a synthetic inventory into a fresh catalogue file, one transaction per account×region
/// as a scan does, then reads it back. Target: 100k images ingested in under 3 s.
func runIngestBenchmark(_ arguments: [String]) async throws {
    let count = arguments.first.flatMap(Int.init) ?? 100_000
    let inventory = SyntheticInventory.make(images: count)
    var batches: [String: RegionBatch] = [:]
    var order: [String] = []
    for image in inventory.images {
        let key = "\(image.accountId)/\(image.region)"
        if batches[key] == nil {
            batches[key] = RegionBatch(accountId: image.accountId, region: image.region)
            order.append(key)
        }
        batches[key]!.images.append(image)
    }
    let regionBatches = order.map { key in
        var batch = batches[key]!
        batch.coverage.imageCount = batch.images.count
        return batch
    }

    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("amigo-bench-ingest-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let catalog = try Catalog(path: directory.appendingPathComponent("catalog.sqlite").path)

    let (scan, ingest) = try await Measurement.of {
        let scan = try catalog.startScan(startedAt: Date(), asOf: Date(), source: "bench", policyText: "",
                                         options: "{}")
        try catalog.record(organization: inventory.organization, accounts: inventory.accounts, scan: scan)
        for batch in regionBatches { try catalog.record(batch, scan: scan) }
        try catalog.finishScan(scan, finishedAt: Date(), status: .complete)
        return scan
    }
    print("ingest: \(count) images in \(regionBatches.count) account×region batches, "
          + String(format: "%.0f images/s", Double(count) / ingest.wall))
    print("ingest: \(ingest.line)")

    let (readBack, read) = try await Measurement.of { try catalog.inventory(scan: scan) }
    print("read back: \(readBack.images.count) images, "
          + String(format: "%.0f images/s", Double(readBack.images.count) / read.wall))
    print("read back: \(read.line)")
    // Batches regroup the images by account×region, so compare without order.
    if Set(readBack.images) != Set(inventory.images) {
        print("read back: MISMATCH: the catalogue did not return the images it was given")
    }
    let path = directory.appendingPathComponent("catalog.sqlite").path
    let bytes = ["", "-wal"].compactMap {
        try? FileManager.default.attributesOfItem(atPath: path + $0)[.size] as? Int
    }.reduce(0, +)
    print(String(format: "catalogue: %.1f MiB (database and WAL)", Double(bytes) / 1_048_576))
}
