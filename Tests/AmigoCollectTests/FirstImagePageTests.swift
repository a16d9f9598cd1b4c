import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Testing

/// An account×region's first DescribeImages pages are small, and the first never waits for a
/// page slot, so every account×region's launch permission calls (which set when it can
/// finish) start at once; later pages are full size; every page after the first takes a slot.
@Suite struct FirstImagePageTests {
    static func standIn() -> StandIn {
        StandIn { request in
            switch request.action {
            case "GetCallerIdentity": return StandIn.callerIdentity
            case "DescribeRegions": return StandIn.regions(["us-east-1"])
            case "DescribeImages" where request.parameters["NextToken"] == nil:
                return StandIn.images(StandIn.image("ami-0000000000000000a"), next: "p2")
            case "DescribeImages" where request.parameters["NextToken"] == "p2":
                return StandIn.images(StandIn.image("ami-0000000000000000b"), next: "p3")
            case "DescribeImages": return StandIn.images(StandIn.image("ami-0000000000000000c"))
            case "DescribeImageAttribute":
                return StandIn.xml("<DescribeImageAttributeResponse><launchPermission/></DescribeImageAttributeResponse>")
            default: return StandIn.error("InvalidAction")
            }
        }
    }

    static func plan() -> CollectionPlan {
        CollectionPlan(regions: ["us-east-1"], needs: [.images, .launchPermissions], pacing: nil)
    }

    @Test func theOpeningPagesAskForFewImagesAndTheRestForAThousand() async throws {
        let standIn = Self.standIn()
        let sink = RecordingSink()
        try await collect(standIn, plan: Self.plan(), into: sink)
        let listings = standIn.requests.filter { $0.action == "DescribeImages" }
        #expect(listings.map { $0.parameters["MaxResults"] } == CollectionPlan.openingImagePages.map(String.init) + ["1000"])
        #expect(listings.map { $0.parameters["NextToken"] } == [nil, "p2", "p3"])
        // EC2's burst is 100: the opening pages together must hold enough to spend it before
        // a page of 1,000 is waited for.
        #expect(CollectionPlan.openingImagePages.count == 2 && CollectionPlan.openingImagePages.reduce(0, +) >= 100)
        let batch = try #require(await sink.batches.first)
        #expect(batch.coverage.status == .scanned && batch.imageCount == 3)
    }

    /// With every page slot taken, the first page is still read; the second waits for a slot.
    @Test func theFirstPageDoesNotWaitForAPageSlot() async throws {
        let standIn = Self.standIn()
        let plan = Self.plan()
        for _ in 0..<plan.pageSlots.limit { await plan.pageSlots.acquire() }
        let sink = RecordingSink()
        let scan = Task { try await collect(standIn, plan: plan, into: sink) }
        // Bounded: a first page that waited for a slot would wait here for ever.
        var waited = 0.0
        while standIn.count("DescribeImageAttribute") == 0 && waited < 20 {
            try await Task.sleep(for: .milliseconds(20))
            waited += 0.02
        }
        #expect(standIn.count("DescribeImageAttribute") == 1, "the first page's image was asked about")
        #expect(standIn.count("DescribeImages") == 1, "the second page waits for a slot")
        for _ in 0..<plan.pageSlots.limit { plan.pageSlots.release() }
        try await scan.value
        #expect(standIn.count("DescribeImages") == 3)
        #expect(await sink.batches.first?.imageCount == 3)
    }
}
