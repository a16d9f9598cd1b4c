import AmigoCatalog
import AmigoCore
import Foundation
import Testing

@Suite struct BatchReadTests {
    /// Three regions with images (recorded interleaved with a settings-only region and two
    /// scans), a skipped region, region and account errors.
    private func recordScan(_ catalog: Catalog) throws -> (scan: Int64, batches: [RegionBatch]) {
        let other = try catalog.startTestScan(source: "other")
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region, images: Sample.images(2)), scan: other)
        let scan = try catalog.startTestScan()
        try catalog.record(organization: Organization(id: "o-1", arn: "arn:aws:organizations::1:organization/o-1",
                                                      managementAccountId: Sample.account, memberAccountIds: [Sample.account]),
                           accounts: [Account(id: Sample.account, name: "prod"), Account(id: "444455556666")], scan: scan)
        let west = RegionBatch(
            accountId: Sample.account, region: Sample.region,
            images: [Sample.fullImage("ami-b"), Sample.bareImage("ami-a"), Sample.bareImage("ami-c", launchPermissions: [])],
            snapshots: [Snapshot(accountId: Sample.account, region: Sample.region, snapshotId: "snap-1", encrypted: true,
                                 createVolumePermissions: [.everyone])],
            settings: RegionSettings(accountId: Sample.account, region: Sample.region, ebsEncryptionByDefault: true),
            errors: [ScanError(accountId: Sample.account, region: Sample.region, operation: "GetAllowedImagesSettings",
                               code: "UnauthorizedOperation", message: "no")])
        let settingsOnly = RegionBatch(accountId: "444455556666", region: "us-east-1",
                                       settings: RegionSettings(accountId: "444455556666", region: "us-east-1"))
        let east = RegionBatch(accountId: "444455556666", region: "eu-west-1",
                               images: Sample.images(3, account: "444455556666", region: "eu-west-1"),
                               snapshots: [Snapshot(accountId: "444455556666", region: "eu-west-1", snapshotId: "snap-2",
                                                    encrypted: false)])
        for batch in [west, settingsOnly, east] { try catalog.record(batch, scan: scan) }
        try catalog.record(coverage: RegionCoverage(accountId: Sample.account, region: "me-south-1", status: .skipped,
                                                    reason: "not opted in"), scan: scan)
        try catalog.record(errors: [ScanError(accountId: "777788889999", region: nil, operation: "AssumeRole",
                                              code: "AccessDenied", message: "denied")], scan: scan)
        let skipped = RegionBatch(accountId: Sample.account, region: "me-south-1",
                                  coverage: RegionCoverage(accountId: Sample.account, region: "me-south-1",
                                                           status: .skipped, reason: "not opted in"))
        return (scan, [west, east, settingsOnly, skipped])
    }

    @Test(arguments: Storage.allCases)
    func batchesHoldExactlyWhatTheInventoryHolds(storage: Storage) throws {
        let directory = try TemporaryDirectory()
        let catalog = try makeCatalog(storage, in: directory)
        let (scan, expected) = try recordScan(catalog)
        var batches: [RegionBatch] = []
        try catalog.forEachBatch(scan: scan) { batches.append($0) }
        #expect(batches == expected, "regions with images in recording order, then the rest")

        let inventory = try catalog.inventory(scan: scan)
        #expect(batches.flatMap(\.images) == inventory.images)
        #expect(Set(batches.flatMap(\.snapshots)) == Set(inventory.snapshots))
        #expect(Set(batches.compactMap(\.settings)) == Set(inventory.regionSettings))
        #expect(Set(batches.map(\.coverage)) == Set(inventory.coverage))

        let overview = try catalog.overview(scan: scan)
        #expect(overview.organization == inventory.organization)
        #expect(overview.accounts == inventory.accounts)
        #expect(overview.coverage == inventory.coverage)
        #expect(overview.errors == inventory.errors)
        #expect(Set(batches.flatMap(\.errors)) == Set(inventory.errors.filter { $0.region != nil }))
    }

    @Test func aMissingScanIsAnError() throws {
        let catalog = try Catalog.inMemory()
        #expect(throws: CatalogError.self) { try catalog.forEachBatch(scan: 42) { _ in } }
        #expect(throws: CatalogError.self) { try catalog.overview(scan: 42) }
    }
}
