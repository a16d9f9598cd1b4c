import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Testing

/// One image that does not decode costs that image, never its region: the rest of the page is
/// collected (with its launch permissions), the region is partial, and the scan error names it.
@Suite struct UndecodableImageCollectionTests {
    @Test func theRestOfThePageIsCollectedWithItsOwnPermissions() async throws {
        let items = StandIn.image("ami-0000000000000000a")
            + StandIn.image("ami-0000000000000000b", extra: "<creationDate>2026-01-01\n\u{202E}scan complete</creationDate>")
            + StandIn.image("ami-0000000000000000c", extra: "<creationDate/>")
        let standIn = StandIn { request in
            switch request.action {
            case "GetCallerIdentity": return StandIn.callerIdentity
            case "DescribeRegions": return StandIn.regions(["us-east-1"])
            case "DescribeImages": return StandIn.images(items)
            case "DescribeImageAttribute":
                // Each image is shared with an account named after it, so a mix-up shows.
                let id = request.parameters["ImageId"] ?? "?"
                return StandIn.xml("<DescribeImageAttributeResponse><launchPermission><item><userId>\(id)</userId></item></launchPermission></DescribeImageAttributeResponse>")
            default: return StandIn.error("InvalidAction")
            }
        }
        let sink = RecordingSink()
        try await collect(standIn, needs: [.images, .launchPermissions], into: sink)
        let batch = try #require(await sink.batches.first)
        try #require(batch.images.map(\.imageId) == ["ami-0000000000000000a", "ami-0000000000000000c"])
        for image in batch.images { #expect(image.launchPermissions == [.account(image.imageId)]) }
        #expect(batch.images[1].creationDate == nil)
        #expect(batch.coverage.status == .partial && batch.coverage.imageCount == 2)
        let error = try #require(batch.errors.first)
        #expect(batch.errors.count == 1)
        #expect(error.imageId == "ami-0000000000000000b" && error.code == "UndecodableImage")
        #expect(error.message == "image ami-0000000000000000b has creationDate \"2026-01-01\\n\\u{202e}scan complete\", expected an ISO 8601 timestamp")
        #expect(!error.message.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{202E}" })
    }
}
