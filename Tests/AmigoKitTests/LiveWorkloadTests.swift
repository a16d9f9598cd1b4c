import AmigoCatalog
import AmigoCore
import AmigoTestSupport
import Foundation
import Testing

/// What scripts/moto/seed_workloads.py wrote: the workloads it created and, per member and
/// region, whether moto lets that member see each image they reference.
struct SeededWorkloads: Decodable {
    struct Entry: Decodable, Hashable { var account, region, kind, resourceId, imageId: String; var state: String? }
    struct Reference: Decodable, Hashable { var account, region, imageId: String; var found: Bool }
    /// A finding's identity, as the seeder derived it from policies/workloads.yml's rules.
    struct ExpectedFinding: Decodable, Hashable {
        var policyId, accountId, region, resourceType, resourceId: String
        var discriminator: String?
    }
    var workloads: [Entry]
    var referencedImages: [Reference]
    var foreignImage: String
    var communityImage: String
    var asOf: String
    var expectedFindings: [ExpectedFinding]
}

/// `amigo collect --org --collect full` against a moto organisation with workloads: the
/// catalogue holds exactly the seeded workloads (instances in every state but terminated,
/// template versions $Default and $Latest, groups resolved through configurations, $Latest and
/// a pinned version, configurations, image parameters) and references (found or not).
@Suite(.serialized) struct LiveWorkloadTests {
    @Test func theCatalogueHoldsExactlyTheSeededWorkloadsAndReferences() async throws {
        let file = try temporaryDirectory("workloads").appendingPathComponent("workloads.json")
        let regions = ["us-east-1", "eu-west-1"]
        let (moto, seeded) = try await offPool {
            try MotoOrganization.start(members: 2, regions: regions, imagesPerRegion: 3, workloadsFile: file)
        }
        defer { moto.stop() }
        let expected = try JSONDecoder().decode(SeededWorkloads.self, from: Data(contentsOf: file))
        let dir = try temporaryDirectory("live-workloads")
        let catalogPath = dir.appendingPathComponent("amigo.sqlite").path
        let run = try await amigo(["collect", "--org", "--regions", regions.joined(separator: ","), "--collect", "full",
                                   "--catalog", catalogPath, "--quiet"],
                                  environment: MotoOrganization.environment(moto.endpoint), killAfter: 300)
        // 3: moto lacks DescribeInstanceImageMetadata, lastLaunchedTime and GetAllowedImagesSettings.
        #expect([0, 3].contains(run.status), "\(run.stderr)")
        let catalog = try Catalog(path: catalogPath)
        let scan = try #require(try catalog.latestScanID(completeOnly: false))

        struct Seen: Hashable { var account, region, kind, resourceId, imageId: String; var state: String? }
        let workloads = try catalog.workloads(scan: scan)
        let seen = workloads.map {
            Seen(account: $0.accountId, region: $0.region, kind: $0.kind.rawValue, resourceId: $0.resourceId,
                 imageId: $0.imageId ?? "-", state: $0.kind == .instance ? $0.state : nil)
        }
        let wanted = expected.workloads.map {
            Seen(account: $0.account, region: $0.region, kind: $0.kind, resourceId: $0.resourceId, imageId: $0.imageId,
                 state: $0.state)
        }
        #expect(seen.count == Set(seen).count, "no workload twice")
        #expect(Set(seen) == Set(wanted), "missing \(Set(wanted).subtracting(seen)); extra \(Set(seen).subtracting(wanted))")
        #expect(workloads.filter { $0.kind == .autoScalingGroup }.allSatisfy { $0.via != nil })

        let references = try catalog.referencedImages(scan: scan)
        let found = Set(references.map {
            SeededWorkloads.Reference(account: $0.accountId, region: $0.region, imageId: $0.imageId, found: $0.image != nil)
        })
        #expect(found == Set(expected.referencedImages))
        #expect(expected.referencedImages.contains { $0.found } && expected.referencedImages.contains { !$0.found },
                "the seed has both kinds")
        for reference in references where reference.image != nil {
            #expect([expected.foreignImage, expected.communityImage].contains(reference.imageId))
            #expect(reference.image?.ownerId == (reference.imageId == expected.foreignImage ? "137112412989" : "210987654321"))
        }

        // The owned images' usage counts agree with the workloads; the org-wide usage names both members.
        let inventory = try catalog.inventory(scan: scan)
        for image in inventory.images where seeded.members.contains(image.accountId) {
            let instances = wanted.filter { $0.kind == "instance" && $0.imageId == image.imageId && $0.account == image.accountId }
            #expect(image.instanceCount == instances.count, "\(image.imageId)")
        }
        let usage = try catalog.imageUsage(scan: scan)
        #expect(usage[expected.foreignImage]?.accounts == seeded.members.sorted())
        #expect(usage[expected.foreignImage]?.instances == seeded.members.count * regions.count)
        #expect(usage[expected.foreignImage]?.autoScalingGroups == seeded.members.count * regions.count)

        // What failed is only what moto does not model (lastLaunchedTime, DescribeInstanceImageMetadata, guardrails).
        let operations = Set(inventory.errors.map(\.operation))
        #expect(operations.isSubset(of: ["ec2:DescribeInstanceImageMetadata", "ec2:DescribeImageAttribute",
                                         "ec2:GetAllowedImagesSettings", "ec2:GetImageBlockPublicAccessState",
                                         "ec2:GetSnapshotBlockPublicAccessState"]), "\(inventory.errors.prefix(5))")
        #expect(inventory.errors.filter { $0.operation == "ec2:DescribeImageAttribute" }
            .allSatisfy { $0.message.hasPrefix("lastLaunchedTime of ") && $0.imageId == nil })

        // The workload pack, scanned at the seeder's as-of, finds exactly what the seeder derived
        // from the pack's rules: workloads on the community and the deregistered image are
        // unapproved, the deregistered and the superseded image are not current, Allowed AMIs
        // (which moto lacks) cannot be verified for any workload, and unused are only the images
        // no workload of any member references (not the one only the other member launches).
        let reports = dir.appendingPathComponent("reports")
        let scan2 = try await amigo(["scan", "--org", "--regions", regions.joined(separator: ","),
                                     "--policies", repositoryRoot.appendingPathComponent("policies/workloads.yml").path,
                                     "--as-of", expected.asOf, "--format", "json", "--output", reports.path,
                                     "--catalog", dir.appendingPathComponent("scan.sqlite").path, "--quiet"],
                                    environment: MotoOrganization.environment(moto.endpoint), killAfter: 300)
        #expect([1, 3].contains(scan2.status), "\(scan2.stderr)")
        let report = try JSONDecoder().decode(FindingsDocument.self,
                                              from: Data(contentsOf: reports.appendingPathComponent("findings.json")))
        let got = report.findings.map {
            SeededWorkloads.ExpectedFinding(policyId: $0.policyId, accountId: $0.accountId, region: $0.region,
                                            resourceType: $0.resourceType, resourceId: $0.resourceId, discriminator: $0.discriminator)
        }
        let want = Set(expected.expectedFindings)
        #expect(got.count == Set(got).count, "no finding twice")
        #expect(Set(got) == want, "missing \(want.subtracting(got).sorted { "\($0)" < "\($1)" }); extra \(Set(got).subtracting(want).sorted { "\($0)" < "\($1)" })")
        #expect(Set(want.map(\.policyId)) == ["workload-approved-image", "workload-image-current", "workload-image-allowed", "ami-unused"],
                "the seed exercises every policy of the pack")
        // Every image finding carries its blast radius, complete: every member's workloads were read.
        for finding in report.findings where finding.resourceType == "image" {
            #expect(finding.evidence["usedByInstances"] == "0" && finding.evidence["usageComplete"] == "yes", "\(finding.evidence)")
        }
    }
}

/// The fields of findings.json this test compares.
private struct FindingsDocument: Decodable {
    struct Entry: Decodable {
        var policyId, accountId, region, resourceType, resourceId: String
        var discriminator: String?
        var evidence: [String: String]
    }
    var findings: [Entry]
}
