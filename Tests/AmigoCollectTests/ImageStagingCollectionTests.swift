import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Synchronization
import Testing

/// An account×region's images go to the sink's stage page by page and the batch carries only
/// their follow-ups, so the collector does not hold an organisation's images while the
/// per-image calls are answered.
@Suite struct ImageStagingCollectionTests {
    final class RecordingStage: ImageStage {
        let pages = Mutex<[[String]]>([])
        private let discards = Atomic<Int>(0)
        var wasDiscarded: Bool { discards.load(ordering: .relaxed) > 0 }
        func add(_ page: [Image]) { pages.withLock { $0.append(page.map(\.imageId)) } }
        func listed() {}
        func seal(_ followUps: ImageFollowUps) -> (images: [Image], staged: StagedImages?) {
            ([], StagedImages(stage: 7, followUps: followUps, failure: nil, place: .staging))
        }
        func discard() { discards.add(1, ordering: .relaxed) }
    }

    final class StagingSink: InventorySink {
        let inner = RecordingSink()
        let stages = Mutex<[String: RecordingStage]>([:])
        func imageStage(account: String, region: String) -> any ImageStage {
            let stage = RecordingStage()
            stages.withLock { $0["\(account)/\(region)"] = stage }
            return stage
        }
        func organization(_ organization: Organization?, accounts: [Account]) async throws {}
        func region(_ batch: RegionBatch) async throws { try await inner.region(batch) }
        func coverage(_ coverage: RegionCoverage, errors: [ScanError]) async throws {
            try await inner.coverage(coverage, errors: errors)
        }
        func errors(_ errors: [ScanError]) async throws { try await inner.errors(errors) }
        var stage: RecordingStage? { stages.withLock { $0["\(StandIn.account)/us-east-1"] } }
    }

    static func standIn(firstPage: HTTPResponse) -> StandIn {
        StandIn { request in
            switch request.action {
            case "GetCallerIdentity": return StandIn.callerIdentity
            case "DescribeRegions": return StandIn.regions(["us-east-1"])
            case "DescribeImages" where request.parameters["NextToken"] == nil: return firstPage
            case "DescribeImages": return StandIn.images(StandIn.image("ami-0000000000000000c"))
            case "DescribeImageAttribute":
                switch request.parameters["ImageId"] {
                case "ami-0000000000000000b":
                    return StandIn.xml("<DescribeImageAttributeResponse><launchPermission><item><userId>444455556666</userId></item></launchPermission></DescribeImageAttributeResponse>")
                case "ami-0000000000000000c": return StandIn.error("InternalError")
                default: return StandIn.xml("<DescribeImageAttributeResponse><launchPermission/></DescribeImageAttributeResponse>")
                }
            default: return StandIn.error("InvalidAction")
            }
        }
    }

    @Test func pagesGoToTheStageAndTheBatchCarriesOnlyFollowUps() async throws {
        let first = StandIn.images(StandIn.image("ami-0000000000000000a") + StandIn.image("ami-0000000000000000b"), next: "p2")
        let sink = StagingSink()
        try await collect(Self.standIn(firstPage: first), needs: [.images, .launchPermissions], into: sink)
        let batch = try #require(await sink.inner.batches.first)
        let stage = try #require(sink.stage)
        #expect(stage.pages.withLock { $0 } == [["ami-0000000000000000a", "ami-0000000000000000b"], ["ami-0000000000000000c"]])
        #expect(batch.images.isEmpty)
        let followUps = try #require(batch.staged?.followUps)
        #expect(followUps.count == 3 && batch.coverage.imageCount == 3 && batch.imageCount == 3)
        #expect(followUps[0].launchPermissions == [])
        #expect(followUps[1].launchPermissions == [.account("444455556666")])
        // A failed call is "not learned", never "granted to no one".
        #expect(followUps[2].launchPermissions == nil)
        #expect(followUps.exceptions.keys.sorted() == [1, 2])
        #expect(batch.errors.map(\.operation) == ["ec2:DescribeImageAttribute"])
        #expect(!stage.wasDiscarded)
    }

    @Test func aRegionWhoseListingFailsDiscardsItsStage() async throws {
        let sink = StagingSink()
        try await collect(Self.standIn(firstPage: StandIn.error("InternalError")), needs: [.images, .launchPermissions],
                          into: sink)
        let batch = try #require(await sink.inner.batches.first)
        #expect(batch.coverage.status == .failed && batch.staged == nil)
        #expect(try #require(sink.stage).wasDiscarded)
    }
}
