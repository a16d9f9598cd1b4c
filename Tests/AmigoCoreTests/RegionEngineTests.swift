import Foundation
import Testing
@testable import AmigoCore

private let asOf = CivilDate.parse("2026-01-01")!

private func settings(_ account: String, _ region: String, ebs: Bool? = true,
                      imageBPA: String? = "block-new-sharing") -> RegionSettings {
    RegionSettings(accountId: account, region: region, imageBlockPublicAccess: imageBPA,
                   snapshotBlockPublicAccess: "block-all-sharing", ebsEncryptionByDefault: ebs,
                   allowedImagesState: "enabled")
}

private let guardrails = """
    policies:
      - id: region-ebs-default
        check: ebs-encryption-by-default
        severity: high
      - id: ami-ebs-encrypted
        check: encryption
        severity: high
      - id: region-image-bpa
        check: image-block-public-access
        severity: critical
    """

/// Two accounts × two regions read, plus one failed and one skipped region.
private let coverage = [
    RegionCoverage(accountId: "222222222222", region: "us-east-1", status: .scanned),
    RegionCoverage(accountId: "111111111111", region: "us-east-1", status: .partial, reason: "GetEbsEncryptionByDefault failed"),
    RegionCoverage(accountId: "111111111111", region: "eu-west-1", status: .scanned),
    RegionCoverage(accountId: "222222222222", region: "eu-west-1", status: .scanned),
    RegionCoverage(accountId: "333333333333", region: "us-east-1", status: .failed, reason: "AssumeRole denied"),
    RegionCoverage(accountId: "222222222222", region: "af-south-1", status: .skipped, reason: "not opted in"),
]

struct RegionEngineTests {
    @Test func oneFindingPerFailingAccountRegionAndNilFailsClosed() throws {
        let set = try PolicyLoader.load(yaml: guardrails, file: "g.yml")
        let inventory = Inventory(
            accounts: [Account(id: "222222222222", name: "workloads")],
            images: [Image(accountId: "111111111111", region: "us-east-1", imageId: "ami-1", ownerId: "111111111111",
                           state: "available", isPublic: false, virtualizationType: "hvm",
                           blockDevices: [BlockDevice(deviceName: "/dev/xvda", snapshotId: "snap-1", encrypted: true)])],
            regionSettings: [settings("111111111111", "us-east-1", ebs: nil),  // partial: that call failed
                             settings("111111111111", "eu-west-1"),
                             settings("222222222222", "us-east-1", ebs: false, imageBPA: "unblocked")],
            // 222222222222/eu-west-1 has no settings at all: every region check fails closed there.
            coverage: coverage)
        let evaluation = Engine.evaluate(inventory, policies: set, asOf: asOf)
        #expect(evaluation.results.map(\.policy.id) == ["region-ebs-default", "ami-ebs-encrypted", "region-image-bpa"])
        let read = [RegionRef(accountId: "111111111111", region: "eu-west-1"), RegionRef(accountId: "111111111111", region: "us-east-1"),
                    RegionRef(accountId: "222222222222", region: "eu-west-1"), RegionRef(accountId: "222222222222", region: "us-east-1")]
        #expect(evaluation.results[0].evaluatedRegions == read, "failed and skipped regions are not judged again")
        #expect(evaluation.results[0].evaluated.isEmpty)
        #expect(evaluation.results[1].evaluatedRegions.isEmpty && evaluation.results[1].evaluated == [0])

        let ebs = evaluation.results[0].findings
        #expect(ebs.map(\.resourceId) == ["111111111111/us-east-1", "222222222222/eu-west-1", "222222222222/us-east-1"])
        #expect(ebs.allSatisfy { $0.resourceType == "region" && $0.resourceId == "\($0.accountId)/\($0.region)" })
        #expect(ebs[0].message == "ebsEncryptionByDefault could not be read (GetEbsEncryptionByDefault); the guardrail cannot be verified.")
        #expect(ebs[2] == Finding(policyId: "region-ebs-default", check: "ebs-encryption-by-default", severity: .high,
                                  accountId: "222222222222", accountName: "workloads", region: "us-east-1",
                                  resourceType: "region", resourceId: "222222222222/us-east-1",
                                  message: "EBS encryption by default is off: new volumes and snapshots may be unencrypted.",
                                  evidence: ["ebsEncryptionByDefault": "false"]))
        #expect(evaluation.results[2].findings.map(\.resourceId) == ["222222222222/eu-west-1", "222222222222/us-east-1"])
        #expect(evaluation.results[1].findings.isEmpty)
        for result in evaluation.results {
            #expect(result.findings == result.findings.sorted(by: Finding.reportOrder))
        }
    }

    @Test func scopeSelectsAccountRegions() throws {
        let set = try PolicyLoader.load(yaml: """
            policies:
              - id: region-ebs-eu
                check: ebs-encryption-by-default
                severity: high
                scope: { accounts: ["2222*"], regions: ["eu-*", "af-*"] }
            """, file: "s.yml")
        let evaluation = Engine.evaluate(Inventory(coverage: coverage), policies: set, asOf: asOf)
        #expect(evaluation.results[0].evaluatedRegions == [RegionRef(accountId: "222222222222", region: "eu-west-1")])
        #expect(evaluation.results[0].findings.map(\.resourceId) == ["222222222222/eu-west-1"])
    }

    @Test func regionFindingsCanBeWaivedByAccountOrResource() throws {
        let set = try PolicyLoader.load(yaml: guardrails + """

            waivers:
              - policy: region-ebs-default
                accounts: ["222222222222"]
                reason: encrypted by SCP-enforced launch templates
                expires: 2026-06-30
              - policy: region-image-bpa
                images: ["*/eu-west-1"]
                reason: image sharing region
                expires: 2026-03-31
            """, file: "w.yml")
        let inventory = Inventory(regionSettings: [settings("111111111111", "eu-west-1", imageBPA: "unblocked"),
                                                   settings("222222222222", "us-east-1", ebs: false)],
                                  coverage: coverage)
        let evaluation = Engine.evaluate(inventory, policies: set, asOf: asOf)
        #expect(evaluation.results[0].findings.map(\.resourceId) == ["111111111111/us-east-1"])
        #expect(evaluation.waived.map { "\($0.finding.policyId) \($0.finding.resourceId)" } == [
            "region-image-bpa 111111111111/eu-west-1", "region-image-bpa 222222222222/eu-west-1",
            "region-ebs-default 222222222222/eu-west-1", "region-ebs-default 222222222222/us-east-1",
        ])
    }

    @Test func noCoverageMeansNothingToJudge() throws {
        let evaluation = Engine.evaluate(Inventory(regionSettings: [settings("111111111111", "us-east-1", ebs: false)]),
                                         policies: try PolicyLoader.load(yaml: guardrails, file: "g.yml"), asOf: asOf)
        #expect(evaluation.results[0].evaluatedRegions.isEmpty && evaluation.results[0].findings.isEmpty)
    }
}
