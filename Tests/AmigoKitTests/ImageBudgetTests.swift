@testable import AmigoKit
@testable import AmigoCatalog
import AmigoCore
import Foundation
import Testing

/// A scan keeps its account×regions' images in memory up to one budget and stages the rest;
/// either way the catalogue holds every image in listing order with its follow-ups.
@Suite struct ImageBudgetTests {
    static func page(_ ids: ClosedRange<Int>, region: String) -> [Image] {
        ids.map { Image(accountId: "111122223333", region: region, imageId: "ami-\($0)", ownerId: "111122223333",
                        state: "available", isPublic: false) }
    }

    static let followUps = ImageFollowUps(
        count: 4,
        common: ImageFollowUp(launchPermissions: [], instanceCount: 0, launchTemplateCount: nil, lastLaunchedTime: nil),
        exceptions: [1: ImageFollowUp(launchPermissions: [.account("444455556666")], instanceCount: 2,
                                      launchTemplateCount: nil, lastLaunchedTime: nil),
                     3: ImageFollowUp(launchPermissions: nil, instanceCount: 0, launchTemplateCount: nil,
                                      lastLaunchedTime: nil)])

    /// A catalogue with a running scan, and the scan's sink with an image budget of `limit`.
    static func sink(imageLimit limit: Int) throws -> (Catalog, Int64, CatalogSink) {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startScan(startedAt: Date(), asOf: Date(), source: "t", policyText: "[]", options: "")
        return (catalog, scan, CatalogSink(catalog: catalog, scan: scan, stopping: StopFlag(), imageLimit: limit))
    }

    @Test func imagesPastTheBudgetAreStagedAndReadBackInListingOrder() async throws {
        let (catalog, scan, sink) = try Self.sink(imageLimit: 3)
        let budget = sink.inMemoryImages

        // The first region takes two of the three; its second page does not fit and is staged.
        let east = try #require(sink.imageStage(account: "111122223333", region: "us-east-1") as? CatalogImageStage)
        east.add(Self.page(1...2, region: "us-east-1"))
        // Another region's page fits in what is left; once a stage has spilled it stays spilled.
        let west = try #require(sink.imageStage(account: "111122223333", region: "us-west-2") as? CatalogImageStage)
        west.add(Self.page(9...9, region: "us-west-2"))
        east.add(Self.page(3...3, region: "us-east-1"))
        east.add(Self.page(4...4, region: "us-east-1"))

        let (inline, staged) = east.seal(Self.followUps)
        #expect(inline.map(\.imageId) == ["ami-1", "ami-2"])
        #expect(inline.map(\.launchPermissions) == [[], [.account("444455556666")]])
        #expect(staged?.followUps == Self.followUps.dropping(first: 2))
        #expect(staged?.followUps.exceptions.keys.sorted() == [1])
        #expect(!budget.reserve(1), "a sealed batch's images stay counted until it is written")

        try await sink.region(RegionBatch(accountId: "111122223333", region: "us-east-1", images: inline, staged: staged))
        #expect(budget.reserve(2), "writing the batch gives its share of the budget back")
        budget.release(2)
        let images = try catalog.inventory(scan: scan).images
        #expect(images.map(\.imageId) == ["ami-1", "ami-2", "ami-3", "ami-4"])
        #expect(images.map(\.launchPermissions) == [[], [.account("444455556666")], [], nil])
        #expect(images.map(\.instanceCount) == [0, 2, 0, 0])

        west.discard()
        #expect(budget.reserve(3), "a discarded stage gives its share back")
    }

    /// A listing kept whole is written to the scan's tables once complete and leaves memory;
    /// its batch then carries only where the rows are, and a stage dropped takes its rows.
    @Test func aCompleteListingIsWrittenAtOnceAndLeavesTheBudget() async throws {
        let (catalog, scan, sink) = try Self.sink(imageLimit: 4)
        let budget = sink.inMemoryImages
        let east = try #require(sink.imageStage(account: "111122223333", region: "us-east-1") as? CatalogImageStage)
        east.add(Self.page(1...2, region: "us-east-1"))
        east.add(Self.page(3...4, region: "us-east-1"))
        east.listed()
        let (inline, staged) = east.seal(Self.followUps)
        #expect(inline.isEmpty)
        guard case .catalogue(let firstRow)? = staged?.place else {
            Issue.record("the listing was not written: \(String(describing: staged))")
            return
        }
        #expect(budget.reserve(4), "written, the listing's images are no longer counted")
        budget.release(4)
        #expect(try catalog.inventory(scan: scan).images.isEmpty, "pending until the batch")

        try await sink.region(RegionBatch(accountId: "111122223333", region: "us-east-1", images: inline, staged: staged))
        let images = try catalog.inventory(scan: scan).images
        #expect(images.map(\.imageId) == ["ami-1", "ami-2", "ami-3", "ami-4"])
        #expect(images.map(\.launchPermissions) == [[], [.account("444455556666")], [], nil])
        #expect(images.map(\.instanceCount) == [0, 2, 0, 0])

        let west = try #require(sink.imageStage(account: "111122223333", region: "us-west-2") as? CatalogImageStage)
        west.add(Self.page(9...9, region: "us-west-2"))
        west.listed()
        west.discard()
        let rows = try await catalog.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM image") }
        #expect(rows == 4, "the dropped stage's row is gone (first row of east: \(firstRow))")
    }
}
