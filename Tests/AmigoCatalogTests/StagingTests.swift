@testable import AmigoCatalog
import AmigoCore
import Foundation
import Testing

/// Images staged page by page and moved with their batch read back exactly as the same
/// images recorded in the batch, and a stage that does not hold the batch's images is refused.
@Suite struct StagingTests {
    /// As DescribeImages lists them: nothing learned yet.
    static let listed: [Image] = [Sample.fullImage(), Sample.bareImage("ami-a"), Sample.bareImage("ami-b")].map {
        var image = $0
        image.launchPermissions = nil
        image.instanceCount = nil
        image.launchTemplateCount = nil
        return image
    }
    static let followUps = ImageFollowUps(
        count: 3,
        common: ImageFollowUp(launchPermissions: [], instanceCount: 0, launchTemplateCount: 0, lastLaunchedTime: nil),
        exceptions: [
            0: ImageFollowUp(launchPermissions: [.everyone, .account("444455556666")], instanceCount: 3,
                             launchTemplateCount: nil, lastLaunchedTime: nil),
            2: ImageFollowUp(launchPermissions: nil, instanceCount: 0, launchTemplateCount: 1,
                             lastLaunchedTime: at(1_700_000_100)),
        ])

    func staged(_ catalog: Catalog, scan: Int64, pages: [[Image]]) throws -> Int64 {
        let stage = catalog.newStage()
        var position = 0
        for page in pages {
            try catalog.stage(page, stage: stage, from: position, scan: scan)
            position += page.count
        }
        return stage
    }

    /// The listing with its follow-ups, recorded in a batch of its own: what every other way of
    /// writing it must read back as.
    static func recordedInline(_ catalog: Catalog) throws -> (images: [Image], scan: Int64) {
        let expected = listed.indices.map { followUps[$0].applied(to: listed[$0]) }
        let scan = try catalog.startTestScan(source: "inline")
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region, images: expected), scan: scan)
        return (expected, scan)
    }

    func stagedRows(_ catalog: Catalog) throws -> Int {
        try catalog.writer.write { try Int.fetchOne($0, sql: "SELECT count(*) FROM temp.staged_image") ?? -1 }
    }

    @Test(arguments: Storage.allCases)
    func stagedImagesReadBackAsTheSameImagesRecordedInline(storage: Storage) throws {
        let directory = try TemporaryDirectory()
        let catalog = try makeCatalog(storage, in: directory)
        let (expected, inlineScan) = try Self.recordedInline(catalog)
        let stagedScan = try catalog.startTestScan(source: "staged")
        let stage = try staged(catalog, scan: stagedScan, pages: [[Self.listed[0]], [Self.listed[1], Self.listed[2]]])
        #expect(try catalog.inventory(scan: stagedScan).images.isEmpty, "a stage is not part of the scan until moved")
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region,
                                       staged: StagedImages(stage: stage, followUps: Self.followUps, failure: nil, place: .staging)),
                           scan: stagedScan)

        let read = try catalog.inventory(scan: stagedScan)
        #expect(read.images == expected)
        #expect(read.images.map(\.lastLaunchedTime) == [at(1_650_000_000), nil, at(1_700_000_100)])
        #expect(read.images == (try catalog.inventory(scan: inlineScan)).images)
        #expect(read.coverage.map(\.imageCount) == [3])
        #expect(try stagedRows(catalog) == 0)
    }

    @Test func aStageThatDoesNotHoldTheBatchsImagesIsRefusedAndNothingIsWritten() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        let short = try staged(catalog, scan: scan, pages: [Array(Self.listed.prefix(2))])
        let elsewhere = try staged(catalog, scan: scan, pages: [[Sample.bareImage("ami-x", region: "us-east-1")]])
        let discarded = try staged(catalog, scan: scan, pages: [Self.listed])
        try catalog.discardStage(discarded)
        let cases: [(StagedImages, String)] = [
            (StagedImages(stage: short, followUps: Self.followUps, failure: nil, place: .staging), "the stage holds 2 images at positions 0…1, the batch lists 3"),
            (StagedImages(stage: elsewhere, followUps: ImageFollowUps(count: 1, common: Self.followUps.common, exceptions: [:]), failure: nil, place: .staging),
             "1 staged images belong to another account×region or scan"),
            (StagedImages(stage: discarded, followUps: Self.followUps, failure: nil, place: .staging), "the stage holds 0 images"),
            (StagedImages(stage: short, followUps: Self.followUps, failure: "disk I/O error", place: .staging), "its images could not be staged: disk I/O error"),
        ]
        for (staged, reason) in cases {
            let error = #expect(throws: CatalogError.self) {
                try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region, staged: staged), scan: scan)
            }
            #expect(error?.reason.hasPrefix(reason) == true, "\(error?.reason ?? "no error")")
        }
        let read = try catalog.inventory(scan: scan)
        #expect(read.images.isEmpty && read.coverage.isEmpty)
    }
}
