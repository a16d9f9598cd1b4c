import AmigoCore
import Foundation
import Testing

/// Fail closed: an image built with only what is required must not look compliant.
@Suite struct ModelDefaultsTests {
    @Test func anImageGivenNoVirtualizationTypeCannotBeVerifiedAsHVM() throws {
        let image = Image(accountId: "111111111111", region: "us-east-1", imageId: "ami-1",
                          ownerId: "111111111111", state: "available", isPublic: false)
        #expect(image.virtualizationType == nil)
        #expect(image.rootDeviceType == nil)
        let policies = try PolicyLoader.load(yaml: """
            policies:
              - id: hvm-only
                check: virtualization-type
                severity: low
            """, file: "p.yml")
        let evaluation = Engine.evaluate(Inventory(images: [image]), policies: policies, asOf: Date())
        #expect(evaluation.results.flatMap(\.findings).count == 1)
    }
}
