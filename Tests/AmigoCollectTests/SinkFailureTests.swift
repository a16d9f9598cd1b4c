import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Testing

/// Coverage and error writes decide what a report says: one that fails must fail the scan,
/// never leave an account×region silently missing.
@Suite struct SinkFailureTests {
    /// Writes region batches but refuses every coverage row and error list.
    actor CoverageRefusingSink: InventorySink {
        func organization(_ organization: Organization?, accounts: [Account]) async throws {}
        func region(_ batch: RegionBatch) async throws {}
        func coverage(_ coverage: RegionCoverage, errors: [ScanError]) async throws { throw CocoaError(.fileWriteOutOfSpace) }
        func errors(_ errors: [ScanError]) async throws { throw CocoaError(.fileWriteOutOfSpace) }
    }

    static let twoRegions = StandIn { request in
        switch request.action {
        case "GetCallerIdentity": return StandIn.callerIdentity
        case "DescribeRegions":
            return StandIn.xml("<DescribeRegionsResponse><regionInfo><item><regionName>us-east-1</regionName></item><item><regionName>af-south-1</regionName><optInStatus>not-opted-in</optInStatus></item></regionInfo></DescribeRegionsResponse>")
        case "DescribeImages": return StandIn.images("")
        default: return StandIn.error("InvalidAction")
        }
    }

    @Test func aSkippedRegionThatCannotBeRecordedFailsTheRun() async throws {
        let error = await #expect(throws: AWSError.self) {
            try await collect(Self.twoRegions, regions: nil, into: CoverageRefusingSink())
        }
        #expect(error?.code == "CatalogError")
        #expect(error?.message.contains("af-south-1") == true)
    }

    @Test func anUnknownRegionThatCannotBeRecordedFailsTheRun() async throws {
        let error = await #expect(throws: AWSError.self) {
            try await collect(Self.twoRegions, regions: ["us-east-1", "eu-north-9"], into: CoverageRefusingSink())
        }
        #expect(error?.message.contains("eu-north-9") == true)
    }

    @Test func anAccountThatFailedAndCannotBeRecordedFailsTheRun() async throws {
        let standIn = StandIn { request in
            request.action == "GetCallerIdentity" ? StandIn.callerIdentity : StandIn.error("AccessDenied")
        }
        let error = await #expect(throws: AWSError.self) {
            try await collect(standIn, accounts: .list(["444455556666"]), into: CoverageRefusingSink())
        }
        #expect(error?.message.contains("444455556666") == true)
    }
}
