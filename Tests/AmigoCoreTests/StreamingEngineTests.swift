import Foundation
import Synchronization
import Testing
@testable import AmigoCore

private let asOf = CivilDate.parse("2026-01-01")!
private let accounts = ["300000000000", "100000000000", "200000000000"]
private let regions = ["us-east-1", "eu-west-1", "ap-south-1"]

/// Image, region, scoped and waived policies together, so every path of the engine is fed.
private func policySet() throws -> PolicySet {
    let extra = """
        policies:
          - id: eu-only-encrypted
            check: encryption
            severity: critical
            scope: { accounts: ["1000*", "2000*"], regions: ["eu-*"] }
          - id: region-ebs-us
            check: ebs-encryption-by-default
            severity: low
            scope: { regions: ["us-*"] }
        waivers:
          - policy: ami-ebs-encrypted
            accounts: ["2000*"]
            reason: sandbox
            expires: 2026-06-30
          - policy: "*"
            images: ["ami-0000002*"]
            reason: vendor images
            expires: 2027-01-01
          - policy: ami-required-tags
            images: ["ami-0001*"]
            reason: expired
            expires: 2025-12-31
        """
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-streaming-\(UUID().uuidString).yml")
    try extra.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    return try PolicyLoader.load(files: [baselineURL(), baselineURL().deletingLastPathComponent()
        .appendingPathComponent("guardrails.yml"), file])
}

/// A demo-like organisation: images in shuffled order over 3 accounts × 3 regions, snapshots
/// behind some devices, settings in most regions, one failed and one partial region.
private func organisation(images count: Int) -> Inventory {
    var images: [Image] = []
    var snapshots: [Snapshot] = []
    for n in 0..<count {
        let i = (n * 7_919) % count
        let account = accounts[i % 3], region = regions[i / 3 % 3]
        let id = String(format: "ami-%08x", i)
        var image = Image(accountId: account, region: region, imageId: id, name: "app-\(i % 40)",
                          ownerId: account, creationDate: asOf.addingTimeInterval(-Double(i % 700) * 86_400),
                          state: "available", isPublic: false,
                          virtualizationType: i % 31 == 0 ? "paravirtual" : "hvm",
                          tags: [Tag("Owner", i % 13 == 0 ? "nobody" : "team@example.com"),
                                 Tag("Environment", ["prod", "staging", "dev", "qa"][i % 4])],
                          blockDevices: [BlockDevice(deviceName: "/dev/xvda", snapshotId: "snap-\(id)",
                                                     encrypted: i % 6 == 0 ? nil : i % 5 != 0),
                                         BlockDevice(deviceName: "/dev/sdb", snapshotId: "snap-b-\(id)", encrypted: i % 7 != 0)],
                          launchPermissions: i % 17 == 0 ? nil : i % 11 == 0 ? [.account("999999999999")] : [])
        image.isPublic = i % 53 == 0
        images.append(image)
        if i % 6 == 0 {
            snapshots.append(Snapshot(accountId: account, region: region, snapshotId: "snap-\(id)",
                                      encrypted: i % 12 == 0, createVolumePermissions: i % 18 == 0 ? [.everyone] : []))
        }
    }
    var settings: [RegionSettings] = []
    var coverage: [RegionCoverage] = []
    for account in accounts {
        for region in regions {
            let k = settings.count
            if k != 4 {
                settings.append(RegionSettings(accountId: account, region: region,
                                               imageBlockPublicAccess: k % 2 == 0 ? "block-new-sharing" : "unblocked",
                                               snapshotBlockPublicAccess: "block-all-sharing",
                                               ebsEncryptionByDefault: k % 3 == 0 ? nil : k % 3 == 1,
                                               allowedImagesState: "enabled"))
            }
            coverage.append(RegionCoverage(accountId: account, region: region, status: k == 2 ? .partial : .scanned))
        }
    }
    coverage.append(RegionCoverage(accountId: "400000000000", region: "us-east-1", status: .failed, reason: "denied"))
    let org = Organization(id: "o-1", arn: "arn:aws:organizations::100000000000:organization/o-1",
                           managementAccountId: accounts[1], memberAccountIds: Set(accounts))
    return Inventory(organization: org, accounts: accounts.map { Account(id: $0, name: "name-\($0)") },
                     images: images, snapshots: snapshots, regionSettings: settings, coverage: coverage)
}

/// The inventory cut into account×region batches, in the order each first appears.
private func batches(_ inventory: Inventory) -> [RegionBatch] {
    var order: [RegionRef] = []
    var byRegion: [RegionRef: RegionBatch] = [:]
    func batch(_ account: String, _ region: String) -> RegionRef {
        let ref = RegionRef(accountId: account, region: region)
        if byRegion[ref] == nil {
            order.append(ref)
            byRegion[ref] = RegionBatch(accountId: account, region: region)
        }
        return ref
    }
    for image in inventory.images { byRegion[batch(image.accountId, image.region)]!.images.append(image) }
    for snapshot in inventory.snapshots { byRegion[batch(snapshot.accountId, snapshot.region)]!.snapshots.append(snapshot) }
    for settings in inventory.regionSettings { byRegion[batch(settings.accountId, settings.region)]!.settings = settings }
    for coverage in inventory.coverage { byRegion[batch(coverage.accountId, coverage.region)]!.coverage = coverage }
    return order.map { byRegion[$0]! }
}

/// A scan error naming an image that could not be decoded: judged as an image of its own.
private func addUndecodableImage(to batch: inout RegionBatch) {
    batch.errors.append(ScanError(accountId: batch.accountId, region: batch.region, operation: "ec2:DescribeImages",
                                  code: "UndecodableImage", message: "no imageId", imageId: "ami-undecodable"))
}

private func stream(_ batches: [RegionBatch], _ inventory: Inventory, _ policies: PolicySet) -> Evaluation {
    var run = EngineRun(policies: policies, asOf: asOf, organization: inventory.organization, accounts: inventory.accounts)
    for batch in batches { run.add(batch) }
    return run.finish(coverage: inventory.coverage)
}

private func expectSame(_ a: Evaluation, _ b: Evaluation) {
    #expect(a.images == b.images)
    #expect(a.results.map(\.policy.id) == b.results.map(\.policy.id))
    for (x, y) in zip(a.results, b.results) {
        #expect(x.evaluated == y.evaluated, "\(x.policy.id)")
        #expect(x.evaluatedRegions == y.evaluatedRegions, "\(x.policy.id)")
        #expect(x.findings == y.findings, "\(x.policy.id)")
    }
    #expect(a.waived == b.waived)
}

struct StreamingEngineTests {
    @Test(arguments: [60, 3_000])
    func batchByBatchEqualsWholeInventory(images: Int) throws {
        let policies = try policySet()
        let inventory = organisation(images: images)
        let cut = batches(inventory)
        // The whole-inventory answer for the same images in the same (batch) order.
        var grouped = inventory
        grouped.images = cut.flatMap(\.images)
        let whole = Engine.evaluate(grouped, policies: policies, asOf: asOf)
        let streamed = stream(cut, inventory, policies)
        expectSame(streamed, whole)
        #expect(whole.results.contains { !$0.findings.isEmpty && !$0.evaluatedRegions.isEmpty })
        #expect(whole.results.contains { $0.evaluated.count != grouped.images.count && !$0.evaluated.isEmpty })
        #expect(Set(whole.waived.map(\.reason)) == ["sandbox", "vendor images"])
        for result in streamed.results {
            #expect(result.findings == result.findings.sorted(by: Finding.reportOrder))
        }
        // The original (interleaved) order changes only which index an image has.
        let interleaved = Engine.evaluate(inventory, policies: policies, asOf: asOf)
        #expect(interleaved.results.map(\.findings) == streamed.results.map(\.findings))
        #expect(interleaved.waived == streamed.waived)
    }

    /// Batches judged on their own (`BatchJudge`), on other threads and in another order,
    /// then added in the batches' order, give what adding the batches themselves gives: how a
    /// scan's account×regions are judged while the scan is still being collected.
    @Test func batchesJudgedElsewhereAddUpToTheSame() throws {
        let policies = try policySet()
        let inventory = organisation(images: 900)
        var cut = batches(inventory)
        addUndecodableImage(to: &cut[1])
        let reference = stream(cut, inventory, policies)
        var run = EngineRun(policies: policies, asOf: asOf, organization: inventory.organization, accounts: inventory.accounts)
        let judge = run.judge
        let slots = Mutex<[Int: JudgedBatch]>([:])
        let delivered = cut
        DispatchQueue.concurrentPerform(iterations: delivered.count) { n in
            let index = delivered.count - 1 - n
            let judged = judge.judge(delivered[index])
            slots.withLock { $0[index] = judged }
        }
        let judged = slots.withLock { $0 }
        for index in cut.indices { run.add(judged[index]!) }
        let added = run.finish(coverage: inventory.coverage)
        expectSame(added, reference)
        #expect(added.images.contains { $0.imageId == "ami-undecodable" })
        #expect(reference.results.contains { $0.evaluated.count != reference.images.count && !$0.evaluated.isEmpty },
                "a scoped policy evaluated only some images")
    }

    @Test func batchOrderAndSplitRegionsDoNotChangeFindings() throws {
        let policies = try policySet()
        let inventory = organisation(images: 900)
        let cut = batches(inventory)
        let reference = stream(cut, inventory, policies)
        // Reversed, and every batch split in two halves, the second halves last.
        var halves: [RegionBatch] = []
        var rest: [RegionBatch] = []
        for var batch in cut.reversed() {
            var second = RegionBatch(accountId: batch.accountId, region: batch.region,
                                     images: Array(batch.images.suffix(batch.images.count / 2)),
                                     snapshots: batch.snapshots, settings: batch.settings, coverage: batch.coverage)
            batch.images.removeLast(batch.images.count / 2)
            second.images.reverse()
            halves.append(batch)
            rest.append(second)
        }
        let shuffled = stream(halves + rest, inventory, policies)
        #expect(shuffled.results.map(\.findings) == reference.results.map(\.findings))
        #expect(shuffled.results.map(\.evaluatedRegions) == reference.results.map(\.evaluatedRegions))
        #expect(shuffled.waived == reference.waived)
        #expect(Set(shuffled.images) == Set(reference.images))
    }

    /// `amigo report` reads a stored evaluation's findings back and runs the engine only to
    /// list what each policy evaluated: that list must be the judging run's, image policies
    /// must make no findings, and an undecodable image must still count as evaluated.
    @Test func listingWhatWasEvaluatedJudgesNoImageButListsTheSame() throws {
        let policies = try policySet()
        let inventory = organisation(images: 600)
        var cut = batches(inventory)
        addUndecodableImage(to: &cut[0])
        let judged = stream(cut, inventory, policies)
        var run = EngineRun(policies: policies, asOf: asOf, organization: inventory.organization,
                            accounts: inventory.accounts, purpose: .listEvaluated)
        for batch in cut { run.add(batch) }
        let listed = run.finish(coverage: inventory.coverage)
        #expect(listed.images == judged.images)
        #expect(listed.images.contains { $0.imageId == "ami-undecodable" })
        #expect(listed.results.map(\.policy.id) == judged.results.map(\.policy.id))
        #expect(listed.results.map(\.evaluated) == judged.results.map(\.evaluated))
        #expect(listed.results.map(\.evaluatedRegions) == judged.results.map(\.evaluatedRegions))
        let imagePolicies = judged.results.filter { !$0.evaluated.isEmpty }
        #expect(imagePolicies.contains { !$0.findings.isEmpty }, "the judging run found something to compare")
        for result in listed.results where !result.evaluated.isEmpty { #expect(result.findings.isEmpty, "\(result.policy.id)") }
    }

    @Test func coverageDefaultsToTheBatches() throws {
        let policies = try policySet()
        let inventory = organisation(images: 90)
        var run = EngineRun(policies: policies, asOf: asOf, organization: inventory.organization, accounts: inventory.accounts)
        for batch in batches(inventory) { run.add(batch) }
        let fromBatches = run.finish()
        let whole = Engine.evaluate(inventory, policies: policies, asOf: asOf)
        #expect(fromBatches.results.map(\.evaluatedRegions) == whole.results.map(\.evaluatedRegions))
        #expect(fromBatches.results.map(\.findings) == whole.results.map(\.findings))
    }
}
