import Foundation
import Testing
@testable import AmigoCore

private let asOf = CivilDate.parse("2026-01-01")!

private func image(_ id: String, account: String = "111111111111", region: String = "us-east-1",
                   name: String? = "app", encrypted: Bool = true, permissions: [LaunchPermission]? = []) -> Image {
    Image(accountId: account, region: region, imageId: id, name: name, ownerId: account, creationDate: asOf,
          state: "available", isPublic: false, virtualizationType: "hvm",
          blockDevices: [BlockDevice(deviceName: "/dev/xvda", snapshotId: "snap-\(id)", encrypted: encrypted)],
          launchPermissions: permissions)
}

private func policies(_ yaml: String) throws -> PolicySet {
    try PolicyLoader.load(yaml: yaml, file: "engine.yml")
}

private let encryptionPolicy = """
    policies:
      - id: ami-ebs-encrypted
        check: encryption
        severity: high
    """

struct EngineTests {
    @Test func scopeGlobsSelectImages() throws {
        let set = try policies("""
            policies:
              - id: web-eu
                check: encryption
                severity: high
                scope: { accounts: ["1111*"], regions: ["eu-*"], name: "web-*" }
            """)
        let inventory = Inventory(images: [
            image("ami-1", region: "eu-west-1", name: "web-1", encrypted: false),
            image("ami-2", region: "us-east-1", name: "web-2", encrypted: false),
            image("ami-3", account: "222222222222", region: "eu-west-1", name: "web-3", encrypted: false),
            image("ami-4", region: "eu-central-1", name: "db-4", encrypted: false),
            image("ami-5", region: "eu-central-1", name: nil, encrypted: false),
            image("ami-6", region: "eu-central-1", name: "web-6"),
        ])
        let evaluation = Engine.evaluate(inventory, policies: set, asOf: asOf)
        let result = try #require(evaluation.results.first)
        #expect(result.evaluated == [0, 5])
        #expect(result.findings.map(\.resourceId) == ["ami-1"])
        #expect(evaluation.images.map(\.imageId) == ["ami-1", "ami-2", "ami-3", "ami-4", "ami-5", "ami-6"])
    }

    @Test func findingCarriesPolicyImageAndAccountName() throws {
        let inventory = Inventory(accounts: [Account(id: "111111111111", name: "prod")],
                                  images: [image("ami-1", encrypted: false), image("ami-2", account: "333333333333", encrypted: false)])
        let findings = Engine.evaluate(inventory, policies: try policies(encryptionPolicy), asOf: asOf).results[0].findings
        #expect(findings == [
            Finding(policyId: "ami-ebs-encrypted", check: "encryption", severity: .high, accountId: "111111111111",
                    accountName: "prod", region: "us-east-1", resourceId: "ami-1", resourceName: "app",
                    message: "EBS volume /dev/xvda (snapshot snap-ami-1) is not encrypted.",
                    evidence: ["device": "/dev/xvda", "snapshot": "snap-ami-1", "encrypted": "false"],
                    discriminator: "/dev/xvda"),
            Finding(policyId: "ami-ebs-encrypted", check: "encryption", severity: .high, accountId: "333333333333",
                    accountName: nil, region: "us-east-1", resourceId: "ami-2", resourceName: "app",
                    message: "EBS volume /dev/xvda (snapshot snap-ami-2) is not encrypted.",
                    evidence: ["device": "/dev/xvda", "snapshot": "snap-ami-2", "encrypted": "false"],
                    discriminator: "/dev/xvda"),
        ])
    }

    @Test func waiversMoveFindingsUntilTheyExpire() throws {
        let set = try policies(encryptionPolicy + """

            waivers:
              - policy: ami-ebs-encrypted
                images: [ami-1]
                reason: vendor image, re-encrypted copy pending
                expires: 2026-06-30
              - policy: ami-ebs-encrypted
                images: [ami-2]
                reason: expired exception
                expires: 2026-01-01
              - policy: ami-ebs-encrypted
                accounts: ["3333*"]
                reason: sandbox account
                expires: 2027-01-01
            """)
        let inventory = Inventory(images: [image("ami-1", encrypted: false), image("ami-2", encrypted: false),
                                           image("ami-3", account: "333333333333", encrypted: false)])
        let evaluation = Engine.evaluate(inventory, policies: set, asOf: asOf)
        #expect(evaluation.results[0].findings.map(\.resourceId) == ["ami-2"])
        #expect(evaluation.waived.map(\.finding.resourceId) == ["ami-1", "ami-3"])
        #expect(evaluation.waived.map(\.reason) == ["vendor image, re-encrypted copy pending", "sandbox account"])
        #expect(evaluation.waived.first?.expires == CivilDate.parse("2026-06-30"))
        #expect(evaluation.results[0].evaluated == [0, 1, 2])
    }

    @Test func wildcardWaiverAndEmptyInventory() throws {
        let set = try policies(encryptionPolicy + """

            waivers:
              - policy: "*"
                accounts: ["1111*"]
                reason: account being decommissioned
                expires: 2026-02-01
            """)
        let evaluation = Engine.evaluate(Inventory(images: [image("ami-1", encrypted: false),
                                                            image("ami-2", account: "222222222222", encrypted: false)]),
                                         policies: set, asOf: asOf)
        #expect(evaluation.waived.map(\.finding.resourceId) == ["ami-1"])
        #expect(evaluation.results[0].findings.map(\.resourceId) == ["ami-2"])
        let empty = Engine.evaluate(Inventory(), policies: set, asOf: asOf)
        #expect(empty.images.isEmpty && empty.waived.isEmpty)
        #expect(empty.results.map(\.findings.count) == [0] && empty.results[0].evaluated.isEmpty)
    }

    @Test func findingsFollowReportOrderWhateverTheInventoryOrder() throws {
        let set = try policies(encryptionPolicy + """

              - id: ami-not-public
                check: public-sharing
                severity: critical
            """)
        var images = [
            image("ami-b", account: "222222222222", region: "eu-west-1", encrypted: false),
            image("ami-a", account: "222222222222", region: "eu-west-1", encrypted: false),
            image("ami-z", account: "111111111111", region: "us-east-1", encrypted: false),
            image("ami-y", account: "111111111111", region: "ap-south-1", encrypted: false),
        ]
        images[0].blockDevices.append(BlockDevice(deviceName: "/dev/sdb", snapshotId: "snap-x", encrypted: false))
        images[2].isPublic = true
        let evaluation = Engine.evaluate(Inventory(images: images), policies: set, asOf: asOf)
        let findings = evaluation.results.flatMap(\.findings)
        #expect(findings.map { "\($0.policyId) \($0.resourceId) \($0.message.prefix(17))" } == [
            "ami-ebs-encrypted ami-y EBS volume /dev/x",
            "ami-ebs-encrypted ami-z EBS volume /dev/x",
            "ami-ebs-encrypted ami-a EBS volume /dev/x",
            "ami-ebs-encrypted ami-b EBS volume /dev/s",
            "ami-ebs-encrypted ami-b EBS volume /dev/x",
            "ami-not-public ami-z Image is public: ",
        ])
        for result in evaluation.results {
            #expect(result.findings == result.findings.sorted(by: Finding.reportOrder))
        }
    }

    @Test func missingLaunchPermissionsFailClosed() throws {
        let set = try policies("""
            policies:
              - id: ami-shared-only-inside-org
                check: cross-account-sharing
                severity: high
            """)
        let inventory = Inventory(images: [image("ami-1", permissions: nil), image("ami-2", permissions: [])])
        let findings = Engine.evaluate(inventory, policies: set, asOf: asOf).results[0].findings
        #expect(findings.map(\.resourceId) == ["ami-1"])
        #expect(findings.first?.message == "Launch permissions were not collected; sharing cannot be verified.")
    }

    @Test func snapshotsFromTheInventoryReachChecks() throws {
        var img = image("ami-1")
        img.blockDevices[0].encrypted = nil
        let snapshot = Snapshot(accountId: "111111111111", region: "us-east-1", snapshotId: "snap-ami-1", encrypted: true)
        let withSnapshot = Engine.evaluate(Inventory(images: [img], snapshots: [snapshot]),
                                           policies: try policies(encryptionPolicy), asOf: asOf)
        #expect(withSnapshot.results[0].findings.isEmpty)
        let without = Engine.evaluate(Inventory(images: [img]), policies: try policies(encryptionPolicy), asOf: asOf)
        #expect(without.results[0].findings.count == 1)
    }

    @Test func parallelChunksGiveTheSameSortedAnswer() throws {
        let set = try PolicyLoader.load(files: [baselineURL()])
        let accounts = ["300000000000", "100000000000", "200000000000"]
        let images = (0..<5_000).map { i in
            var img = image(String(format: "ami-%05x", (i * 7_919) % 5_000), account: accounts[i % 3],
                            region: ["us-east-1", "eu-west-1"][i / 3 % 2], encrypted: i % 4 != 0,
                            permissions: i % 9 == 0 ? [.account("999999999999")] : [])
            img.tags = [Tag("Owner", "team@example.com"), Tag("Environment", i % 5 == 0 ? "qa" : "prod")]
            return img
        }
        let inventory = Inventory(images: images)
        let first = Engine.evaluate(inventory, policies: set, asOf: asOf)
        let second = Engine.evaluate(inventory, policies: set, asOf: asOf)
        #expect(first.results == second.results)
        #expect(first.results.map(\.policy.id) == set.policies.map(\.id))
        for result in first.results {
            #expect(result.evaluated == Array(0..<5_000))
            #expect(result.findings == result.findings.sorted(by: Finding.reportOrder))
        }
        let counts = Dictionary(uniqueKeysWithValues: first.results.map { ($0.policy.id, $0.findings.count) })
        #expect(counts == ["ami-ebs-encrypted": 1_250, "ami-not-public": 0, "ami-shared-only-inside-org": 556,
                           "ami-max-age": 0, "ami-required-tags": 1_000, "ami-hvm-only": 0])
    }
}
