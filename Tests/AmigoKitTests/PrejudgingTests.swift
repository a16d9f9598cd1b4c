@testable import AmigoCatalog
@testable import AmigoKit
import AmigoCore
import Foundation
import Testing

/// A scan's account×regions judged while it is collected (`Prejudging`) give the evaluation
/// exactly what reading and judging them afterwards gives, and any account×region whose rows
/// changed after it was judged, or a scan whose accounts changed, is read and judged again.
@Suite struct PrejudgingTests {
    static let account = "111122223333"
    static let asOf = Date(timeIntervalSince1970: 1_780_000_000)

    /// Images with something for each baseline policy to find: unencrypted and unknown
    /// devices, public and shared images, old ones, missing tags, paravirtual ones.
    static func batch(_ index: Int) -> RegionBatch {
        let region = "region-\(index)"
        return RegionBatch(accountId: account, region: region, images: (0..<12).map { image($0, index: index, region: region) })
    }

    static func image(_ n: Int, index: Int, region: String) -> Image {
        let tags: [AmigoCore.Tag] = n % 4 == 0 ? [] : [Tag("Owner", "team@example.com"), Tag("Environment", "prod")]
        let encrypted: Bool? = n % 3 == 0 ? false : n % 7 == 0 ? nil : true
        let device = BlockDevice(deviceName: "/dev/xvda", snapshotId: "snap-\(index)-\(n)", encrypted: encrypted)
        let grants: [LaunchPermission] = n == 6 ? [.account("999999999999")] : []
        let created = asOf.addingTimeInterval(-Double(n * 40) * 86_400)
        return Image(accountId: account, region: region, imageId: "ami-\(index)-\(n)", name: "image-\(index)-\(n)",
                     ownerId: account, creationDate: created, state: "available", isPublic: n == 3,
                     virtualizationType: n == 5 ? "paravirtual" : "hvm", tags: tags, blockDevices: [device],
                     launchPermissions: grants)
    }

    static func policies() throws -> PolicyFiles {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try PolicyFiles.load([root.appendingPathComponent("policies/baseline.yml")])
    }

    struct Scanned {
        let catalog: Catalog
        let scan: Int64
        let prejudging: Prejudging
        let policies: PolicyFiles
        let directory: URL
    }

    /// Eight account×regions delivered as a scan delivers them, then judged while "collecting".
    static func scanned(imageLimit: Int = Prejudging.defaultImageLimit) async throws -> Scanned {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-prejudging-\(UUID().uuidString)")
        let catalog = try Catalog(path: directory.appendingPathComponent("c.sqlite").path)
        let policies = try policies()
        let scan = try catalog.startScan(startedAt: asOf, asOf: asOf, source: "test", policyText: policies.text, options: "")
        let prejudging = Prejudging(catalog: catalog, scan: scan, policies: policies.set, asOf: asOf, imageLimit: imageLimit)
        let sink = CatalogSink(catalog: catalog, scan: scan, stopping: StopFlag(), prejudging: prejudging)
        try await sink.organization(nil, accounts: [Account(id: account, name: "payments")])
        for index in 0..<8 { try await sink.region(batch(index)) }
        prejudging.settle()
        return Scanned(catalog: catalog, scan: scan, prejudging: prejudging, policies: policies, directory: directory)
    }

    static func finishAndEvaluate(_ s: Scanned, prejudged: Bool) throws -> Report {
        try s.catalog.finishScan(s.scan, finishedAt: asOf, status: .complete)
        return try Evaluation.run(catalog: s.catalog, scan: s.scan, policies: s.policies, asOf: asOf,
                                  prejudged: prejudged ? s.prejudging : nil)
    }

    static func expectSame(_ a: Report, _ b: Report) {
        #expect(a.images == b.images)
        #expect(a.results.map(\.policy.id) == b.results.map(\.policy.id))
        for (x, y) in zip(a.results, b.results) {
            #expect(x.evaluated == y.evaluated, "\(x.policy.id)")
            #expect(x.findings == y.findings, "\(x.policy.id)")
        }
        #expect(a.waived == b.waived)
    }

    @Test func judgedWhileCollectingIsWhatEvaluatingAfterwardsFinds() async throws {
        let s = try await Self.scanned()
        defer { try? FileManager.default.removeItem(at: s.directory) }
        let early = try Self.finishAndEvaluate(s, prejudged: true)
        let after = try Evaluation.run(catalog: s.catalog, scan: s.scan, policies: s.policies, asOf: Self.asOf)
        Self.expectSame(early, after)
        #expect(Set(early.results.filter { !$0.findings.isEmpty }.map(\.policy.id)).count >= 5,
                "most baseline policies found something")
        #expect(early.images.count == 8 * 12)
    }

    /// A change the row counts cannot see shows whether a batch was judged early: its image
    /// keeps the name it had when judged. (Rows are only ever added in a scan; this edit is
    /// the test's, to observe which batches were read again.)
    @Test func batchesJudgedWhileCollectingAreNotReadAgain() async throws {
        let s = try await Self.scanned()
        defer { try? FileManager.default.removeItem(at: s.directory) }
        try await s.catalog.writer.write { db in
            try db.execute(sql: "UPDATE image SET name = 'renamed' WHERE image_id = 'ami-2-1'")
        }
        let early = try Self.finishAndEvaluate(s, prejudged: true)
        #expect(early.images.first { $0.imageId == "ami-2-1" }?.name == "image-2-1")
        let after = try Evaluation.run(catalog: s.catalog, scan: s.scan, policies: s.policies, asOf: Self.asOf)
        #expect(after.images.first { $0.imageId == "ami-2-1" }?.name == "renamed")
    }

    /// Past its image limit, what is written is left to the evaluation: an edit the row counts
    /// cannot see shows in an account×region written after the limit (read again), not in one
    /// written before it (judged while collecting). The outcome is the same either way.
    @Test func accountRegionsPastTheImageLimitAreJudgedByTheEvaluation() async throws {
        let s = try await Self.scanned(imageLimit: 30)   // 12 images each: the first three are judged early
        defer { try? FileManager.default.removeItem(at: s.directory) }
        try await s.catalog.writer.write { db in
            try db.execute(sql: "UPDATE image SET name = 'renamed' WHERE image_id IN ('ami-2-1', 'ami-3-1')")
        }
        let early = try Self.finishAndEvaluate(s, prejudged: true)
        #expect(early.images.first { $0.imageId == "ami-2-1" }?.name == "image-2-1")
        #expect(early.images.first { $0.imageId == "ami-3-1" }?.name == "renamed")
        try await s.catalog.writer.write { db in
            try db.execute(sql: "UPDATE image SET name = 'image-2-1' WHERE image_id = 'ami-2-1'")
        }
        let after = try Evaluation.run(catalog: s.catalog, scan: s.scan, policies: s.policies, asOf: Self.asOf)
        Self.expectSame(early, after)
    }

    /// A scan error recorded for an account×region after its batch was judged (an image that
    /// could not be decoded): the evaluation reads that account×region again.
    @Test func anAccountRegionWithRowsAddedAfterItWasJudgedIsReadAgain() async throws {
        let s = try await Self.scanned()
        defer { try? FileManager.default.removeItem(at: s.directory) }
        try s.catalog.record(errors: [ScanError(accountId: Self.account, region: "region-4", operation: "ec2:DescribeImages",
                                                code: "UndecodableImage", message: "no creation date",
                                                imageId: "ami-undecodable")], scan: s.scan)
        let early = try Self.finishAndEvaluate(s, prejudged: true)
        #expect(early.images.contains { $0.imageId == "ami-undecodable" })
        let after = try Evaluation.run(catalog: s.catalog, scan: s.scan, policies: s.policies, asOf: Self.asOf)
        Self.expectSame(early, after)
    }

    /// Findings carry the account's name: accounts recorded again after batches were judged
    /// make the evaluation judge every account×region again.
    @Test func accountsRecordedAgainAfterJudgingAreJudgedWithTheNewOnes() async throws {
        let s = try await Self.scanned()
        defer { try? FileManager.default.removeItem(at: s.directory) }
        try s.catalog.record(organization: nil, accounts: [Account(id: Self.account, name: "billing")], scan: s.scan)
        let early = try Self.finishAndEvaluate(s, prejudged: true)
        let names = Set(early.results.flatMap(\.findings).map(\.accountName))
        #expect(names == ["billing"])
        let after = try Evaluation.run(catalog: s.catalog, scan: s.scan, policies: s.policies, asOf: Self.asOf)
        Self.expectSame(early, after)
    }
}
