import AmigoCollect
import AmigoCore
import Foundation
import Testing

@Suite struct DemoOrgExpectationsTests {
    static let policies = ["ami-ebs-encrypted", "ami-not-public", "ami-shared-only-inside-org",
                           "ami-max-age", "ami-required-tags", "ami-hvm-only"]

    @Test func expectationsAreRichEnough() throws {
        let expected = try DemoOrg.expected()
        #expect(expected.asOf == "2026-11-01T00:00:00Z")
        #expect(expected.images.filter(\.violations.isEmpty).count >= 25)
        #expect(Set(expected.images.flatMap(\.violations)) == Set(Self.policies), "every violation kind appears")
        #expect(expected.images.contains { $0.violations == Self.policies.sorted() }, "one image violates everything")
        #expect(expected.images.allSatisfy { $0.violations == $0.violations.sorted() })
        #expect(Set(expected.images.map(\.account)) == ["111111111111", "222222222222", "333333333333"])
    }

    @Test func hostileAndUnusualValuesSurviveDecoding() async throws {
        let demo = try DemoOrg()
        let images = try await demo.images(account: "111111111111", region: "eu-west-1", key: DemoOrg.managementKey).images
        #expect(images.contains { $0.tag("Owner") == "<script>alert(1)</script>" })
        #expect(images.contains { $0.name == "web \"blue/green\" & canary – ü" })
        let scratch = try await demo.images(account: "111111111111", region: "us-east-1", key: DemoOrg.managementKey).images
            .first { $0.name == "c5d-scratch-builder" }
        #expect(scratch?.blockDevices.contains { $0.virtualName == "ephemeral0" } == true)
        #expect(scratch?.blockDevices.contains { $0.deviceName == "/dev/sdc" } == false, "noDevice is no volume")
    }

    @Test func emptyRegionIsAnsweredNotMissing() async throws {
        let demo = try DemoOrg()
        let result = try await demo.images(account: "333333333333", region: "ap-southeast-2", key: "ASIADEMO333333333333")
        #expect(result.images.isEmpty && result.pages == 1)
    }
}
