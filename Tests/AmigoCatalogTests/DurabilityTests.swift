@testable import AmigoCatalog
import AmigoCore
import Foundation
import GRDB
import Testing

@Suite struct DurabilityTests {
    @Test(arguments: Storage.allCases)
    func aFailingBatchRollsBackOnlyItself(storage: Storage) throws {
        let directory = try TemporaryDirectory()
        let catalog = try makeCatalog(storage, in: directory)
        let scan = try catalog.startTestScan()
        let good = Sample.images(3)
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region, images: good), scan: scan)

        // The duplicate comes after other rows (images, tags, devices) of the batch were written.
        let east = Sample.images(2, region: "us-east-1")
        let broken = RegionBatch(accountId: Sample.account, region: "us-east-1", images: east + [east[0]],
                                 settings: RegionSettings(accountId: Sample.account, region: "us-east-1"))
        let error = try #require(throws: CatalogError.self) { try catalog.record(broken, scan: scan) }
        #expect(error.description.contains(catalog.path))
        #expect(error.description.contains("us-east-1"))
        #expect(error.reason.contains("UNIQUE"))

        let read = try catalog.inventory(scan: scan)
        #expect(read.images == good)
        #expect(read.coverage.map(\.region) == [Sample.region])
        #expect(read.regionSettings.isEmpty)
        #expect(try catalog.count("image_tag") == 3 * 2)

        // Nothing of the failed batch lingers: the corrected batch is accepted.
        try catalog.record(RegionBatch(accountId: Sample.account, region: "us-east-1", images: east), scan: scan)
        #expect(try catalog.inventory(scan: scan).images == good + east)
    }

    @Test func anAccountRegionIsRecordedOncePerScan() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        let batch = RegionBatch(accountId: Sample.account, region: Sample.region, images: Sample.images(1))
        try catalog.record(batch, scan: scan)
        let error = try #require(throws: CatalogError.self) { try catalog.record(batch, scan: scan) }
        #expect(error.reason.contains("already recorded"))
        #expect(throws: CatalogError.self) {
            try catalog.record(coverage: RegionCoverage(accountId: Sample.account, region: Sample.region,
                                                        status: .failed), scan: scan)
        }
        #expect(try catalog.inventory(scan: scan).images.count == 1)
    }

    @Test func aBatchHoldingAnotherRegionsImageIsRefused() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        let batch = RegionBatch(accountId: Sample.account, region: Sample.region,
                                images: [Sample.bareImage(region: "us-east-1")])
        let error = try #require(throws: CatalogError.self) { try catalog.record(batch, scan: scan) }
        #expect(error.reason.contains("ami-bare"))
        #expect(try catalog.count("coverage") == 0)
    }

    @Test func reopeningKeepsDataAndMigratesOnce() throws {
        let directory = try TemporaryDirectory()
        let scan: Int64
        do {
            let catalog = try Catalog(path: directory.catalogPath)
            scan = try catalog.startTestScan()
            try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region,
                                           images: Sample.images(2)), scan: scan)
            try catalog.finishScan(scan, finishedAt: at(1_700_000_100), status: .complete)
        }
        for _ in 0..<2 {
            let reopened = try Catalog(path: directory.catalogPath)
            #expect(try reopened.inventory(scan: scan).images == Sample.images(2))
            #expect(try reopened.latestScanID(completeOnly: true) == scan)
            let migrations = try reopened.writer.read { try Schema.migrator.appliedIdentifiers($0) }
            #expect(migrations.sorted() == ["v1", "v2-region-indexes", "v3-undecodable-images", "v4-evaluations", "v5-shards", "v6-workloads"])
        }
    }

    /// A crash leaves the database file and its WAL as they were after the last commit: copying
    /// both while the catalogue is still open reproduces that state without killing a process.
    @Test func aCrashMidScanKeepsCommittedBatchesAndEarlierScans() throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.catalogPath)
        let earlier = try catalog.startTestScan()
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region,
                                       images: Sample.images(2)), scan: earlier)
        try catalog.finishScan(earlier, finishedAt: at(1_700_000_100), status: .complete)
        let crashed = try catalog.startTestScan()
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region,
                                       images: Sample.images(3)), scan: crashed)

        let copy = directory.url.appendingPathComponent("crashed.sqlite").path
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: directory.catalogPath + suffix) {
            try FileManager.default.copyItem(atPath: directory.catalogPath + suffix, toPath: copy + suffix)
        }
        let recovered = try Catalog(path: copy)
        #expect(try recovered.scanInfo(crashed)?.status == .running)
        #expect(try recovered.inventory(scan: crashed).images == Sample.images(3))
        #expect(try recovered.inventory(scan: earlier).images == Sample.images(2))
        #expect(try recovered.latestScanID(completeOnly: false) == earlier)
    }

    @Test func aCatalogueFromANewerAmigoIsRefused() throws {
        let directory = try TemporaryDirectory()
        do {
            let catalog = try Catalog(path: directory.catalogPath)
            try catalog.writer.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999')") }
        }
        let error = try #require(throws: CatalogError.self) { try Catalog(path: directory.catalogPath) }
        #expect(error.description.contains(directory.catalogPath))
        #expect(error.reason.contains("newer amigo"))
    }

    @Test func aFileThatIsNotSQLiteIsNamedInTheError() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("notes.txt").path
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CatalogError.self) { try Catalog(path: path) }
        #expect(error.description.contains(path))
    }

    @Test func foreignKeysAreEnforced() throws {
        let catalog = try Catalog.inMemory()
        #expect(throws: DatabaseError.self) {
            try catalog.writer.write {
                try $0.execute(sql: "INSERT INTO image_tag (image_row, position, key, value) VALUES (12345, 0, 'k', 'v')")
            }
        }
    }
}
