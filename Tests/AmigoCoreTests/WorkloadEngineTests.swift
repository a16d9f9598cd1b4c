import Foundation
import Testing
@testable import AmigoCore

private let asOf = CivilDate.parse("2026-01-01")!
private let builder = "111111111111"   // builds the golden images
private let member = "222222222222"    // launches them
private let organization = Organization(id: "o-test", arn: "arn:aws:organizations::111111111111:organization/o-test",
                                        managementAccountId: builder, memberAccountIds: [builder, member])

private func image(_ id: String, account: String = builder, daysOld: Double = 200, name: String? = nil,
                   tags: [AmigoCore.Tag] = []) -> Image {
    Image(accountId: account, region: "us-east-1", imageId: id, name: name ?? "app-\(id)", ownerId: account,
          creationDate: asOf.addingTimeInterval(-daysOld * 86_400), state: "available", isPublic: false,
          virtualizationType: "hvm", tags: tags,
          blockDevices: [BlockDevice(deviceName: "/dev/xvda", snapshotId: "snap-\(id)", encrypted: true)],
          // The image's own account runs nothing from it: the old, per-account `unused` said unused.
          instanceCount: 0, launchTemplateCount: 0)
}

private func instance(_ id: String, account: String = member, image: String?, region: String = "us-east-1") -> Workload {
    Workload(accountId: account, region: region, kind: .instance, resourceId: id, name: nil, state: "running",
             launchTime: asOf.addingTimeInterval(-86_400), tags: [], imageId: image, via: nil, imageMetadata: nil)
}

private func scanned(_ accounts: [String] = [builder, member], failed: [String] = []) -> [RegionCoverage] {
    accounts.map { RegionCoverage(accountId: $0, region: "us-east-1", status: failed.contains($0) ? .failed : .scanned) }
}

private let pack = """
    policies:
      - id: ami-unused
        check: unused
        severity: low
      - id: ami-max-age
        check: age
        severity: medium
        params: { max-days: 365 }
      - id: workload-approved
        check: approved-image
        severity: high
        params: { owners: [organization] }
      - id: workload-current
        check: image-current
        severity: medium
        params: { max-days: 365, families: ['^app-'] }
    """

struct WorkloadEngineTests {
    @Test func anImageLaunchedByAnotherMemberIsNotUnused() throws {
        let set = try PolicyLoader.load(yaml: pack, file: "w.yml")
        let inventory = Inventory(organization: organization,
                                  images: [image("ami-used"), image("ami-idle")],
                                  workloads: [instance("i-1", image: "ami-used")], coverage: scanned())
        let unused = Engine.evaluate(inventory, policies: set, asOf: asOf).results[0]
        #expect(unused.findings.map(\.resourceId) == ["ami-idle"], "ami-used runs in \(member), so it is in use")
        #expect(unused.findings.first?.evidence["usageComplete"] == "yes")
    }

    @Test func unusedCannotBeProvedWhileAnotherAccountsWorkloadsAreUnread() throws {
        let set = try PolicyLoader.load(yaml: pack, file: "w.yml")
        let inventory = Inventory(organization: organization, images: [image("ami-idle")],
                                  coverage: scanned(failed: [member]))
        let evaluation = Engine.evaluate(inventory, policies: set, asOf: asOf)
        let finding = try #require(evaluation.results[0].findings.first)
        #expect(finding.message.contains("cannot be verified as unused"))
        #expect(finding.evidence["usageComplete"] == "no: workloads of \(member)/us-east-1 were not read")
        let approved = evaluation.results[2]
        #expect(approved.findings.isEmpty && approved.evaluatedRegions == [RegionRef(accountId: builder, region: "us-east-1")],
                "a failed region is a scan error already, not judged again")
    }

    @Test func aFailedWorkloadListingIsCannotVerifyNotPass() throws {
        let set = try PolicyLoader.load(yaml: pack, file: "w.yml")
        let error = ScanError(accountId: member, region: "us-east-1", operation: "autoscaling:DescribeAutoScalingGroups",
                              code: "Throttling", message: "Rate exceeded")
        let inventory = Inventory(organization: organization, images: [image("ami-idle")],
                                  coverage: [RegionCoverage(accountId: builder, region: "us-east-1", status: .scanned),
                                             RegionCoverage(accountId: member, region: "us-east-1", status: .partial)],
                                  errors: [error])
        let evaluation = Engine.evaluate(inventory, policies: set, asOf: asOf)
        #expect(evaluation.results[2].findings.map { $0.evidence.dictionary } == [["workloads": "not collected"]])
        #expect(evaluation.results[2].evaluatedRegions.count == 2)
        #expect(evaluation.results[0].findings.first?.message.contains("cannot be verified") == true)
    }

    /// moto (and a region without the API) fails DescribeInstanceImageMetadata: the workloads are
    /// still all listed, so usage stays complete; only the unknown image is "cannot verify".
    @Test func failedImageMetadataLeavesTheWorkloadListingComplete() throws {
        let set = try PolicyLoader.load(yaml: pack, file: "w.yml")
        let error = ScanError(accountId: member, region: "us-east-1", operation: "ec2:DescribeInstanceImageMetadata",
                              code: "InternalError", message: "unexpected HTTP 500")
        let inventory = Inventory(organization: organization, images: [image("ami-idle")],
                                  workloads: [instance("i-1", image: "ami-0gone")],
                                  coverage: [RegionCoverage(accountId: builder, region: "us-east-1", status: .scanned),
                                             RegionCoverage(accountId: member, region: "us-east-1", status: .partial)],
                                  errors: [error])
        let evaluation = Engine.evaluate(inventory, policies: set, asOf: asOf)
        #expect(evaluation.results[0].findings.first?.evidence["usageComplete"] == "yes")
        #expect(evaluation.results[2].findings.map(\.resourceType) == ["workload"], "no region finding: the listing was read")
        #expect(evaluation.results[2].findings.first?.evidence["imageSource"] == "not collected")
    }

    @Test func workloadFindingsResolveImagesAcrossAccountsAndCarryTheirKind() throws {
        let set = try PolicyLoader.load(yaml: pack, file: "w.yml")
        let foreign = Image(accountId: member, region: "us-east-1", imageId: "ami-foreign", name: "community",
                            ownerId: "999999999999", creationDate: asOf.addingTimeInterval(-30 * 86_400),
                            state: "available", isPublic: true)
        let inventory = Inventory(
            organization: organization,
            images: [image("ami-golden", daysOld: 100), image("ami-golden-new", daysOld: 50), image("ami-old", daysOld: 400)],
            workloads: [instance("i-ok", image: "ami-golden-new"), instance("i-foreign", image: "ami-foreign"),
                        instance("i-old", image: "ami-old"), instance("i-superseded", image: "ami-golden"),
                        instance("i-gone", image: "ami-gone")],
            referencedImages: [ReferencedImage(accountId: member, region: "us-east-1", imageId: "ami-foreign", image: foreign),
                               ReferencedImage(accountId: member, region: "us-east-1", imageId: "ami-gone", image: nil)],
            coverage: scanned())
        let evaluation = Engine.evaluate(inventory, policies: set, asOf: asOf)
        let approved = evaluation.results[2].findings
        #expect(approved.map(\.resourceId) == ["i-foreign", "i-gone"], "images of \(builder) are approved for \(member)'s instances")
        #expect(approved.allSatisfy { $0.resourceType == Finding.workloadResourceType })
        #expect(approved.first?.discriminator == "instance ami-foreign")
        #expect(approved.first?.evidence["owner"] == "999999999999")
        let current = evaluation.results[3].findings
        #expect(Set(current.map(\.resourceId)) == ["i-gone", "i-old", "i-superseded"])
        #expect(current.first { $0.resourceId == "i-gone" }?.evidence["imageState"] == "not found")
        #expect(current.first { $0.resourceId == "i-superseded" }?.evidence["supersededBy"] == "ami-golden-new")
        #expect(current.first { $0.resourceId == "i-superseded" }?.discriminator == "instance ami-golden superseded")
    }

    @Test func everyImageFindingCarriesItsBlastRadius() throws {
        let set = try PolicyLoader.load(yaml: pack, file: "w.yml")
        let template = Workload(accountId: builder, region: "us-east-1", kind: .launchTemplate, resourceId: "lt-1:3",
                                name: "app", state: nil, launchTime: nil, tags: [], imageId: "ami-old", via: nil, imageMetadata: nil)
        let inventory = Inventory(organization: organization, images: [image("ami-old", daysOld: 400)],
                                  workloads: [instance("i-1", image: "ami-old"), instance("i-2", image: "ami-old"), template],
                                  coverage: scanned())
        let age = Engine.evaluate(inventory, policies: set, asOf: asOf).results[1].findings
        let evidence = try #require(age.first?.evidence)
        #expect(evidence["ageDays"] == "400", "the check's own evidence stays")
        #expect(evidence["usedByInstances"] == "2" && evidence["usedByLaunchTemplates"] == "1" && evidence["usedInAccounts"] == "2")
        #expect(evidence["usedByAutoScalingGroups"] == "0" && evidence["usageComplete"] == "yes")

        let without = try PolicyLoader.load(yaml: "policies:\n  - id: age\n    check: age\n    severity: low\n    params: { max-days: 1 }\n", file: "a.yml")
        let plain = Engine.evaluate(inventory, policies: without, asOf: asOf).results[0].findings
        #expect(plain.first?.evidence["usedByInstances"] == nil, "without workload collection there is no blast radius to claim")
    }

    @Test func streamingGivesWhatTheWholeInventoryGives() throws {
        let set = try PolicyLoader.load(yaml: pack, file: "w.yml")
        let images = [image("ami-a"), image("ami-b", account: member), image("ami-c", daysOld: 500)]
        let workloads = [instance("i-1", account: builder, image: "ami-b"), instance("i-2", image: "ami-c"),
                         instance("i-3", image: "ami-x")]
        let inventory = Inventory(organization: organization, images: images, workloads: workloads, coverage: scanned())
        let whole = Engine.evaluate(inventory, policies: set, asOf: asOf)
        var run = EngineRun(policies: set, asOf: asOf, organization: organization,
                            workloads: WorkloadIndex(workloads: workloads, referencedImages: [], coverage: scanned(), errors: []))
        for account in [builder, member] {
            run.add(RegionBatch(accountId: account, region: "us-east-1", images: images.filter { $0.accountId == account }))
        }
        let streamed = run.finish(coverage: scanned())
        #expect(streamed.results.map(\.findings) == whole.results.map(\.findings))
        #expect(whole.results.flatMap(\.findings).count > 3)
    }
}
