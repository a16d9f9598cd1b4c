@testable import AmigoCatalog
import AmigoCore
import Foundation
import GRDB
import Testing

/// A listing written to the scan's tables before its batch (`Catalog.prewrite`) is part of the
/// scan only once the batch is recorded, reads back then exactly as the same images recorded
/// in the batch, and is gone when the batch is dropped or the scan ends without it.
@Suite struct PrewrittenTests {
    static let region = RegionRef(accountId: Sample.account, region: Sample.region)
    static let listed = StagingTests.listed
    static let followUps = StagingTests.followUps

    func batch(firstRow: Int64, followUps: ImageFollowUps = Self.followUps, failure: String? = nil) -> RegionBatch {
        RegionBatch(accountId: Sample.account, region: Sample.region,
                    staged: StagedImages(stage: 0, followUps: followUps, failure: failure,
                                         place: .catalogue(firstRow: firstRow)))
    }

    func imageRows(_ catalog: Catalog, scan: Int64) throws -> Int {
        try catalog.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM image WHERE scan_id = ?", arguments: [scan]) ?? -1 }
    }

    @Test(arguments: Storage.allCases)
    func writtenImagesAreUnseenUntilTheirBatchAndThenReadAsIfRecordedInline(storage: Storage) throws {
        let directory = try TemporaryDirectory()
        let catalog = try makeCatalog(storage, in: directory)
        let (expected, inlineScan) = try StagingTests.recordedInline(catalog)

        let scan = try catalog.startTestScan(source: "prewritten")
        let first = try catalog.prewrite(Self.listed, of: Self.region, scan: scan)
        #expect(try imageRows(catalog, scan: scan) == 3, "the rows are in the catalogue")
        #expect(try catalog.inventory(scan: scan).images.isEmpty, "but not part of the scan")
        #expect(try catalog.batch(scan: scan, region: Self.region).images.isEmpty)
        var regions: [RegionRef] = []
        try catalog.forEachBatch(scan: scan) { regions.append(RegionRef(accountId: $0.accountId, region: $0.region)) }
        #expect(regions.isEmpty, "a pending account×region is not a batch")

        try catalog.record(batch(firstRow: first), scan: scan)
        let read = try catalog.inventory(scan: scan)
        #expect(read.images == expected)
        #expect(read.images == (try catalog.inventory(scan: inlineScan)).images)
        #expect(try catalog.batch(scan: scan, region: Self.region).images == expected)
        #expect(read.coverage.map(\.imageCount) == [3])
    }

    @Test func rowsThatAreNotTheBatchsListingAreRefusedAndNothingIsRecorded() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        let first = try catalog.prewrite(Self.listed, of: Self.region, scan: scan)
        let other = RegionRef(accountId: Sample.account, region: "us-east-1")
        let elsewhere = try catalog.prewrite([Sample.bareImage("ami-x", region: "us-east-1")], of: other, scan: scan)
        let one = ImageFollowUps(count: 1, common: Self.followUps.common, exceptions: [:])
        let four = ImageFollowUps(count: 4, common: Self.followUps.common, exceptions: [:])
        let cases: [(RegionBatch, String)] = [
            (batch(firstRow: first, followUps: four), "rows \(first)…\(first + 3) hold 3 of its 4 listed images and 1 of other"),
            (batch(firstRow: elsewhere, followUps: one), "rows \(elsewhere)…\(elsewhere) hold 0 of its 1 listed images and 1 of other"),
            (batch(firstRow: first + 100), "rows \(first + 100)…\(first + 102) hold 0 of its 3"),
            (batch(firstRow: first, failure: "disk I/O error"), "its images could not be written: disk I/O error"),
        ]
        for (batch, reason) in cases {
            let error = #expect(throws: CatalogError.self) { try catalog.record(batch, scan: scan) }
            #expect(error?.reason.hasPrefix(reason) == true, "\(error?.reason ?? "no error")")
        }
        let read = try catalog.inventory(scan: scan)
        #expect(read.images.isEmpty && read.coverage.isEmpty)
        #expect(throws: CatalogError.self, "images of another account×region are refused") {
            _ = try catalog.prewrite([Sample.bareImage("ami-y", region: "us-east-1")], of: Self.region, scan: scan)
        }
    }

    @Test func aDroppedBatchTakesItsRowsAndARecordedOneKeepsThem() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        let first = try catalog.prewrite(Self.listed, of: Self.region, scan: scan)
        try catalog.discardPrewritten(firstRow: first, count: 3, of: Self.region, scan: scan)
        #expect(try imageRows(catalog, scan: scan) == 0)

        let again = try catalog.prewrite(Self.listed, of: Self.region, scan: scan)
        try catalog.record(batch(firstRow: again), scan: scan)
        try catalog.discardPrewritten(firstRow: again, count: 3, of: Self.region, scan: scan)
        #expect(try catalog.inventory(scan: scan).images.count == 3, "a recorded account×region's rows stay")
        #expect(throws: CatalogError.self, "and it cannot be written again") {
            _ = try catalog.prewrite(Self.listed, of: Self.region, scan: scan)
        }
    }

    /// A run that stops, or dies, between an account×region's listing and its batch.
    @Test func theEndOfAScanDeletesWhatNoBatchClaimed() throws {
        let catalog = try Catalog.inMemory()
        let stopped = try catalog.startTestScan(source: "stopped")
        let recorded = try catalog.prewrite(Self.listed, of: Self.region, scan: stopped)
        try catalog.record(batch(firstRow: recorded), scan: stopped)
        let other = RegionRef(accountId: Sample.account, region: "us-east-1")
        _ = try catalog.prewrite([Sample.bareImage("ami-x", region: "us-east-1")], of: other, scan: stopped)
        #expect(try imageRows(catalog, scan: stopped) == 4)
        try catalog.finishScan(stopped, finishedAt: Date(), status: .interrupted)
        #expect(try imageRows(catalog, scan: stopped) == 3)
        #expect(try catalog.inventory(scan: stopped).images.count == 3)

        let died = try catalog.startTestScan(source: "died")
        _ = try catalog.prewrite(Self.listed, of: Self.region, scan: died)
        try catalog.settleStaleScans(isAlive: { _ in false })
        #expect(try imageRows(catalog, scan: died) == 0)
        #expect(try catalog.scanInfo(died)?.status == .interrupted)
    }

    /// Rows a dropped batch left behind (its delete failed) never come into the scan with the
    /// account×region's coverage: the coverage is written only with the rows it stands for.
    @Test func coverageRecordedLaterNeverTakesRowsItDoesNotStandFor() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        _ = try catalog.prewrite(Self.listed, of: Self.region, scan: scan)
        try catalog.record(coverage: RegionCoverage(accountId: Sample.account, region: Sample.region, status: .failed,
                                                    reason: "listing failed"), scan: scan)
        #expect(try imageRows(catalog, scan: scan) == 0)

        let other = RegionRef(accountId: Sample.account, region: "us-east-1")
        _ = try catalog.prewrite([Sample.bareImage("ami-x", region: "us-east-1")], of: other, scan: scan)
        let kept = try catalog.prewrite([Sample.bareImage("ami-y", region: "us-east-1")], of: other, scan: scan)
        try catalog.record(RegionBatch(accountId: Sample.account, region: "us-east-1",
                                       staged: StagedImages(stage: 0, followUps: ImageFollowUps(count: 1, common: Self.followUps.common, exceptions: [:]),
                                                            failure: nil, place: .catalogue(firstRow: kept))), scan: scan)
        #expect(try catalog.inventory(scan: scan).images.map(\.imageId) == ["ami-y"])
        #expect(try imageRows(catalog, scan: scan) == 1)
    }
}
