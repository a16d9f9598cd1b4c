import AmigoCatalog
import AmigoCore
import Foundation
import Testing

@Suite struct RoundTripTests {
    @Test(arguments: Storage.allCases)
    func inventoryRoundTripsEveryFieldSetAndUnset(storage: Storage) throws {
        let directory = try TemporaryDirectory()
        let catalog = try makeCatalog(storage, in: directory)
        let scan = try catalog.startTestScan()
        let org = Organization(id: "o-1", arn: "arn:aws:organizations::1:organization/o-1",
                               managementAccountId: Sample.account, memberAccountIds: [Sample.account, "444455556666"])
        let accounts = [Account(id: Sample.account, name: "prod", email: "a@example.com", status: "ACTIVE",
                                parentId: "ou-1"),
                        Account(id: "444455556666")]
        let images = [Sample.fullImage(), Sample.bareImage("ami-not-collected"),
                      Sample.bareImage("ami-collected-empty", launchPermissions: [])]
        let snapshots = [
            Snapshot(accountId: Sample.account, region: Sample.region, snapshotId: "snap-1", ownerId: "999988887777",
                     encrypted: true, kmsKeyId: "key", volumeSize: 30, startTime: at(1_600_000_001),
                     createVolumePermissions: [.everyone, .account("444455556666")]),
            Snapshot(accountId: Sample.account, region: Sample.region, snapshotId: "snap-2", encrypted: false),
            Snapshot(accountId: Sample.account, region: Sample.region, snapshotId: "snap-3", encrypted: false,
                     createVolumePermissions: []),
        ]
        let settings = RegionSettings(accountId: Sample.account, region: Sample.region,
                                      imageBlockPublicAccess: "block-new-sharing",
                                      snapshotBlockPublicAccess: "block-all-sharing",
                                      ebsEncryptionByDefault: false, allowedImagesState: "audit-mode")
        let bareSettings = RegionSettings(accountId: "444455556666", region: "us-east-1")
        let regionError = ScanError(accountId: Sample.account, region: Sample.region,
                                    operation: "GetAllowedImagesSettings", code: "UnauthorizedOperation", message: "no")
        let accountError = ScanError(accountId: "777788889999", region: nil, operation: "AssumeRole",
                                     code: "AccessDenied", message: "not authorized")
        let skipped = RegionCoverage(accountId: Sample.account, region: "me-south-1", status: .skipped,
                                     reason: "not opted in")

        try catalog.record(organization: org, accounts: accounts, scan: scan)
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region, images: images,
                                       snapshots: snapshots, settings: settings, errors: [regionError]), scan: scan)
        try catalog.record(RegionBatch(accountId: "444455556666", region: "us-east-1", settings: bareSettings),
                           scan: scan)
        try catalog.record(coverage: skipped, scan: scan)
        try catalog.record(errors: [accountError], scan: scan)

        let read = try catalog.inventory(scan: scan)
        #expect(read.organization == org)
        #expect(read.accounts == accounts)
        #expect(read.images == images)
        #expect(read.images.map(\.launchPermissions) == [images[0].launchPermissions, nil, []])
        #expect(read.snapshots == snapshots)
        #expect(read.snapshots.map(\.createVolumePermissions?.count) == [2, nil, 0])
        #expect(read.regionSettings == [settings, bareSettings])
        #expect(read.coverage == [
            RegionCoverage(accountId: Sample.account, region: Sample.region, status: .partial, imageCount: 3),
            RegionCoverage(accountId: "444455556666", region: "us-east-1", status: .scanned, imageCount: 0),
            skipped,
        ])
        #expect(read.errors == [regionError, accountError])
    }

    @Test func scanWithoutOrganizationReadsBackNone() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        try catalog.record(organization: nil, accounts: [Account(id: Sample.account)], scan: scan)
        let read = try catalog.inventory(scan: scan)
        #expect(read.organization == nil)
        #expect(read.accounts == [Account(id: Sample.account)])
        #expect(read.images.isEmpty)
    }

    @Test func recordingAccountsTwiceReplacesThem() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        let org = Organization(id: "o-1", arn: "arn", managementAccountId: "1", memberAccountIds: ["1", "2"])
        try catalog.record(organization: org, accounts: [Account(id: "1"), Account(id: "2")], scan: scan)
        try catalog.record(organization: nil, accounts: [Account(id: "3")], scan: scan)
        let read = try catalog.inventory(scan: scan)
        #expect(read.organization == nil)
        #expect(read.accounts == [Account(id: "3")])
    }

    static let hostile = "O'Brien \"quoted\" '; DROP TABLE image; -- \\ % _ ? :name $1 日本語 🚀 \u{202E}rtl\t\n"

    @Test(arguments: Storage.allCases)
    func hostileStringsAreStoredAsData(storage: Storage) throws {
        let directory = try TemporaryDirectory()
        let catalog = try makeCatalog(storage, in: directory)
        let h = Self.hostile
        let scan = try catalog.startScan(startedAt: at(0), asOf: at(0), source: h, policyText: h, options: h)
        var image = Sample.fullImage(h, account: h, region: h)
        image.name = h
        image.tags = [Tag(h, h)]
        image.launchPermissions = [.account(h)]
        let error = ScanError(accountId: h, region: h, operation: h, code: h, message: h)
        try catalog.record(organization: nil, accounts: [Account(id: h, name: h)], scan: scan)
        try catalog.record(RegionBatch(accountId: h, region: h, images: [image], errors: [error]), scan: scan)
        try catalog.finishScan(scan, finishedAt: at(1), status: .complete)

        let read = try catalog.inventory(scan: scan)
        #expect(read.images == [image])
        #expect(read.errors == [error])
        #expect(read.accounts == [Account(id: h, name: h)])
        #expect(try catalog.scanInfo(scan)?.source == h)
        #expect(try catalog.policyText(scan: scan) == h)
        #expect(try catalog.count("image") == 1)
    }

    @Test(arguments: Storage.allCases)
    func findingsWithEvidenceRoundTrip(storage: Storage) throws {
        let directory = try TemporaryDirectory()
        let catalog = try makeCatalog(storage, in: directory)
        let scan = try catalog.startTestScan()
        let findings = [
            Finding(policyId: "ami-not-public", check: "public-sharing", severity: .critical, accountId: Sample.account,
                    accountName: "prod", region: Sample.region, resourceId: "ami-1", resourceName: "web",
                    message: "image is public", evidence: ["isPublic": "true", "launchPermissions": "group:all",
                                                            Self.hostile: Self.hostile]),
            Finding(policyId: "ami-max-age", check: "age", severity: .info, accountId: Sample.account,
                    region: Sample.region, resourceType: "snapshot", resourceId: "snap-1", message: "old"),
        ]
        let waived = [
            WaivedFinding(finding: findings[0], reason: "marketplace listing", expires: at(1_900_000_000)),
            WaivedFinding(finding: findings[1], reason: "forever", expires: nil),
        ]
        let first = try catalog.save(Self.record(scan), findings: findings, waived: waived)
        #expect(try catalog.findings(evaluation: first.id) == findings)
        #expect(try catalog.waivedFindings(evaluation: first.id) == waived)
        #expect(try catalog.findingsByPolicy(evaluation: first.id) == Dictionary(grouping: findings, by: \.policyId))

        // Evaluating again adds an evaluation; the first keeps its findings.
        let second = try catalog.save(Self.record(scan), findings: [findings[1]], waived: [])
        #expect(try catalog.findings(evaluation: second.id) == [findings[1]])
        #expect(try catalog.waivedFindings(evaluation: second.id).isEmpty)
        #expect(try catalog.findings(evaluation: first.id) == findings)
        #expect(try catalog.evaluations(scan: scan).map { [$0.findings, $0.waived] } == [[2, 2], [1, 0]])
    }

    static func record(_ scan: Int64) -> EvaluationRecord {
        EvaluationRecord(scan: scan, policyDigest: "d", policyText: "[]", asOf: at(1), amigoVersion: "test",
                         evaluatedAt: at(2))
    }

    @Test func savingFindingsForAnUnknownScanFails() throws {
        let catalog = try Catalog.inMemory()
        #expect(throws: CatalogError.self) { _ = try catalog.save(Self.record(42), findings: [Finding](), waived: []) }
        #expect(throws: CatalogError.self) { try catalog.inventory(scan: 42) }
    }
}
