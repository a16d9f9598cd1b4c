@testable import AmigoCatalog
import AmigoCore
import Foundation
import GRDB
import Testing

/// Catalogue v6: workloads, referenced images (found and not) and the Allowed AMIs criteria
/// come back exactly as recorded, per scan, per region, per image and org-wide.
@Suite struct WorkloadRoundTripTests {
    static let other = "444455556666"

    static func workloads(account: String = Sample.account, region: String = Sample.region) -> [Workload] {
        [
            Workload(accountId: account, region: region, kind: .instance, resourceId: "i-0aaa", name: "web-1",
                     state: "running", launchTime: at(1_700_000_100), tags: [Tag("Name", "web-1"), Tag("Env", "prod")],
                     imageId: "ami-shared", via: nil,
                     imageMetadata: ImageMetadata(imageId: "ami-shared", name: "golden", ownerId: other,
                                                  ownerAlias: "self", state: "available", creationDate: at(1_600_000_000),
                                                  deprecationTime: at(1_800_000_000.25), isPublic: false,
                                                  imageAllowed: true)),
            Workload(accountId: account, region: region, kind: .instance, resourceId: "i-0bbb", name: nil,
                     state: "stopped", launchTime: nil, tags: [], imageId: "ami-gone", via: nil,
                     imageMetadata: ImageMetadata(imageId: "ami-gone", name: nil, ownerId: nil, ownerAlias: nil,
                                                  state: nil, creationDate: nil, deprecationTime: nil, isPublic: nil,
                                                  imageAllowed: nil)),
            Workload(accountId: account, region: region, kind: .launchTemplate, resourceId: "lt-0abc:3", name: "web",
                     state: nil, launchTime: at(1_700_000_200), tags: [Tag("team", "web")], imageId: "ami-shared",
                     via: nil, imageMetadata: nil),
            Workload(accountId: account, region: region, kind: .autoScalingGroup, resourceId: "web-asg", name: nil,
                     state: nil, launchTime: nil, tags: [], imageId: "ami-shared", via: "launch-template lt-0abc:$Default",
                     imageMetadata: nil),
            Workload(accountId: account, region: region, kind: .autoScalingGroup, resourceId: "web-asg", name: nil,
                     state: nil, launchTime: nil, tags: [], imageId: "ami-shared", via: "override 1 of lt-0abc:3",
                     imageMetadata: nil),
            Workload(accountId: account, region: region, kind: .autoScalingGroup, resourceId: "orphan-asg", name: nil,
                     state: nil, launchTime: nil, tags: [], imageId: nil, via: "launch-template lt-0gone:$Default",
                     imageMetadata: nil),
            Workload(accountId: account, region: region, kind: .launchConfiguration, resourceId: "web-v3", name: nil,
                     state: nil, launchTime: at(1_700_000_300), tags: [], imageId: "ami-0123456789abcdef0", via: nil,
                     imageMetadata: nil),
            Workload(accountId: account, region: region, kind: .ssmParameter, resourceId: "/golden/web", name: nil,
                     state: nil, launchTime: at(1_700_000_400), tags: [], imageId: "ami-shared", via: nil,
                     imageMetadata: nil),
        ]
    }

    static func referenced(account: String = Sample.account, region: String = Sample.region) -> [ReferencedImage] {
        var shared = Sample.fullImage("ami-shared", account: account, region: region)
        shared.ownerId = other
        shared.launchPermissions = nil
        shared.instanceCount = nil
        return [ReferencedImage(accountId: account, region: region, imageId: "ami-shared", image: shared),
                ReferencedImage(accountId: account, region: region, imageId: "ami-gone", image: nil)]
    }

    static let criteria = [
        ImageCriterion(imageProviders: ["amazon", other], marketplaceProductCodes: ["abc123"],
                       imageNames: ["golden-*"], maximumDaysSinceCreated: 300, maximumDaysSinceDeprecated: 0),
        ImageCriterion(imageProviders: [], marketplaceProductCodes: [], imageNames: [],
                       maximumDaysSinceCreated: nil, maximumDaysSinceDeprecated: nil),
    ]

    func recordedScan(_ catalog: Catalog) throws -> Int64 {
        let scan = try catalog.startTestScan()
        let settings = RegionSettings(accountId: Sample.account, region: Sample.region, allowedImagesState: "audit-mode",
                                      allowedImageCriteria: Self.criteria, allowedImagesManagedBy: "declarative-policy")
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region,
                                       images: [Sample.fullImage()], settings: settings,
                                       workloads: Self.workloads(), referencedImages: Self.referenced()), scan: scan)
        try catalog.record(RegionBatch(accountId: Self.other, region: "us-east-1",
                                       settings: RegionSettings(accountId: Self.other, region: "us-east-1",
                                                                allowedImageCriteria: []),
                                       workloads: [Self.workloads(account: Self.other, region: "us-east-1")[0]]),
                           scan: scan)
        return scan
    }

    @Test(arguments: Storage.allCases)
    func workloadsAndReferencesRoundTrip(storage: Storage) throws {
        let directory = try TemporaryDirectory()
        let catalog = try makeCatalog(storage, in: directory)
        let scan = try recordedScan(catalog)
        let inventory = try catalog.inventory(scan: scan)
        let otherWorkload = Self.workloads(account: Self.other, region: "us-east-1")[0]

        #expect(inventory.workloads == Self.workloads() + [otherWorkload])
        #expect(try catalog.workloads(scan: scan) == inventory.workloads)
        #expect(inventory.referencedImages == Self.referenced())
        #expect(try catalog.referencedImages(scan: scan) == Self.referenced())
        // A found referenced image is stored like an owned one but is not one.
        #expect(inventory.images == [Sample.fullImage()])
        #expect(inventory.regionSettings.map(\.allowedImageCriteria) == [Self.criteria, []])
        #expect(inventory.regionSettings.map(\.allowedImagesManagedBy) == ["declarative-policy", nil])
    }

    @Test func batchesCarryTheirOwnRegionsWorkloads() throws {
        let catalog = try Catalog.inMemory()
        let scan = try recordedScan(catalog)
        var batches: [RegionBatch] = []
        try catalog.forEachBatch(scan: scan) { batches.append($0) }
        #expect(batches.map(\.workloads.count) == [8, 1])
        #expect(batches.map(\.referencedImages.count) == [2, 0])
        #expect(batches.map(\.images) == [[Sample.fullImage()], []])
        #expect(batches[0].settings?.allowedImageCriteria == Self.criteria)
    }

    @Test func imageToWorkloadsUsesItsIndexAndFindsEveryReference() throws {
        let catalog = try Catalog.inMemory()
        let scan = try recordedScan(catalog)
        let users = try catalog.workloads(scan: scan, usingImage: "ami-shared")
        #expect(users.map(\.resourceId) == ["i-0aaa", "lt-0abc:3", "web-asg", "web-asg", "/golden/web", "i-0aaa"])
        let details = try catalog.writer.read { db in
            try ["SELECT * FROM workload WHERE scan_id = 1 AND image_id = 'x'",
                 "SELECT * FROM image WHERE scan_id = 1 AND source_image_id = 'x'",
                 "SELECT * FROM workload WHERE scan_id = 1 AND account_id = 'a' AND region = 'r'"].map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)").map { $0["detail"] as String }.joined()
            }
        }
        #expect(details[0].contains("workload_by_image"))
        #expect(details[1].contains("image_by_source"))
        #expect(details[2].contains("workload_by_region"))
    }

    @Test func orgWideUsageCountsDistinctResourcesPerKindAndAccounts() throws {
        let catalog = try Catalog.inMemory()
        let scan = try recordedScan(catalog)
        let usage = try catalog.imageUsage(scan: scan)
        #expect(usage["ami-shared"] == ImageUsage(imageId: "ami-shared", instances: 2, launchTemplates: 1,
                                                  autoScalingGroups: 1, launchConfigurations: 0, ssmParameters: 1,
                                                  accounts: [Sample.account, Self.other]))
        #expect(usage["ami-0123456789abcdef0"]?.launchConfigurations == 1)
        #expect(usage["ami-gone"]?.instances == 1)
        #expect(usage.count == 3)
        #expect(usage == ImageUsage.tally(try catalog.workloads(scan: scan)))
    }

    @Test func aReferencedImageThatIsAnotherImageIsRefusedWithNothingWritten() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        let wrong = ReferencedImage(accountId: Sample.account, region: Sample.region, imageId: "ami-asked",
                                    image: Sample.fullImage("ami-other"))
        #expect(throws: CatalogError.self) {
            try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region,
                                           workloads: Self.workloads(), referencedImages: [wrong]), scan: scan)
        }
        #expect(try catalog.count("workload") == 0)
        #expect(try catalog.count("image") == 0)
        #expect(try catalog.count("coverage") == 0)
    }

    @Test func corruptCriteriaAreAnErrorNamingTheColumn() throws {
        let catalog = try Catalog.inMemory()
        let scan = try recordedScan(catalog)
        try catalog.writer.write { try $0.execute(sql: "UPDATE region_settings SET allowed_image_criteria = '{'") }
        #expect { try catalog.inventory(scan: scan) } throws: { "\($0)".contains("allowed_image_criteria") }
    }
}
