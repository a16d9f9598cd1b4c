import AmigoCatalog
import AmigoCore
import Foundation
import Testing

@Suite struct HistoryTests {
    @Test(arguments: Storage.allCases)
    func twoScansKeepTheirOwnInventories(storage: Storage) throws {
        let directory = try TemporaryDirectory()
        let catalog = try makeCatalog(storage, in: directory)
        let first = try catalog.startTestScan(source: "live", startedAt: at(1_700_000_000))
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region,
                                       images: [Sample.fullImage("ami-a"), Sample.fullImage("ami-b")]), scan: first)
        try catalog.finishScan(first, finishedAt: at(1_700_000_060), status: .complete)

        // The same image ids again: each scan is its own snapshot of the estate.
        let second = try catalog.startTestScan(source: "demo", startedAt: at(1_700_600_000))
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region,
                                       images: [Sample.fullImage("ami-b"), Sample.fullImage("ami-c")]), scan: second)
        try catalog.finishScan(second, finishedAt: at(1_700_600_090), status: .partial)

        #expect(try catalog.inventory(scan: first).images.map(\.imageId) == ["ami-a", "ami-b"])
        #expect(try catalog.inventory(scan: second).images.map(\.imageId) == ["ami-b", "ami-c"])
        #expect(try catalog.scans().map(\.id) == [second, first])
        #expect(try catalog.scanInfo(first) == ScanInfo(id: first, startedAt: at(1_700_000_000),
                                                        finishedAt: at(1_700_000_060), asOf: at(1_700_000_500),
                                                        status: .complete, source: "live"))
        #expect(try catalog.scanInfo(second)?.status == .partial)
        #expect(try catalog.scanInfo(999) == nil)
    }

    @Test func latestScanIgnoresRunningScans() throws {
        let catalog = try Catalog.inMemory()
        #expect(try catalog.latestScanID(completeOnly: false) == nil)
        let complete = try catalog.startTestScan()
        try catalog.finishScan(complete, finishedAt: at(1_700_000_100), status: .complete)
        let partial = try catalog.startTestScan()
        try catalog.finishScan(partial, finishedAt: at(1_700_000_200), status: .partial)
        let running = try catalog.startTestScan()

        #expect(try catalog.latestScanID(completeOnly: true) == complete)
        #expect(try catalog.latestScanID(completeOnly: false) == partial)
        #expect(try catalog.scanInfo(running)?.status == .running)
        #expect(try catalog.scanInfo(running)?.finishedAt == nil)
    }

    @Test func aFinishedScanIsNeverOverwritten() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region,
                                       images: [Sample.bareImage()]), scan: scan)
        try catalog.finishScan(scan, finishedAt: at(1_700_000_100), status: .complete)

        let late = RegionBatch(accountId: Sample.account, region: "us-east-1", images: [Sample.bareImage(region: "us-east-1")])
        #expect(throws: CatalogError.self) { try catalog.record(late, scan: scan) }
        #expect(throws: CatalogError.self) { try catalog.record(errors: [], scan: scan) }
        #expect(throws: CatalogError.self) { try catalog.record(organization: nil, accounts: [], scan: scan) }
        #expect(throws: CatalogError.self) {
            try catalog.finishScan(scan, finishedAt: at(1_700_000_200), status: .partial)
        }
        #expect(try catalog.scanInfo(scan)?.status == .complete)
        #expect(try catalog.inventory(scan: scan).images.count == 1)
    }

    @Test func finishingNeedsAFinalStatusAndAnExistingScan() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        #expect(throws: CatalogError.self) { try catalog.finishScan(scan, finishedAt: at(0), status: .running) }
        #expect(throws: CatalogError.self) { try catalog.finishScan(scan + 1, finishedAt: at(0), status: .complete) }
        #expect(throws: CatalogError.self) {
            try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region), scan: scan + 1)
        }
    }
}
