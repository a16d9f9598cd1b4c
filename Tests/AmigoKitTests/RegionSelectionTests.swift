import AmigoAWS
import AmigoCatalog
@testable import AmigoCollect
import AmigoCore
import AmigoKit
import Foundation
import Testing

/// `--exclude-regions`, and regions a policy denies.
@Suite struct RegionSelectionTests {
    @Test func excludedRegionsAreNeitherReadNorFailed() async throws {
        var (run, dir) = try demoScan(formats: [.json])
        run.source.excludeRegions = ["eu-west-1"]
        _ = await run.scan(console: Console(quiet: true))
        let catalog = try Catalog(path: dir.appendingPathComponent("amigo.sqlite").path)
        let scan = try #require(try catalog.latestScanID(completeOnly: true))
        let coverage = try catalog.overview(scan: scan).coverage
        #expect(!coverage.isEmpty)
        #expect(!coverage.contains { $0.region == "eu-west-1" })
        #expect(try catalog.inventory(scan: scan).images.allSatisfy { $0.region != "eu-west-1" })
    }

    @Test func aRegionDeniedByPolicyIsAScanErrorThatSaysSo() {
        let denied = AWSError(service: "ec2", operation: "DescribeImages", region: "ap-east-1",
                              code: "UnauthorizedOperation", message: "You are not authorized to perform this operation.")
        let error = scanError(account: "111111111111", region: "ap-east-1", operation: "ec2:DescribeImages", denied)
        #expect(error.message.hasPrefix("denied by policy"))
        let outage = AWSError(service: "ec2", operation: "DescribeImages", region: "ap-east-1", code: "InternalError", message: "x")
        #expect(!scanError(account: "1", region: "r", operation: "o", outage).message.hasPrefix("denied"))
    }
}
