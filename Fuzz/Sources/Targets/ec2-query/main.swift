// EC2 Query responses: libxml2 through XMLDocument, then every EC2 decoder on the same root
// (each checks the root element, so the corpus steers inputs towards all of them).
import AmigoAWS
@testable import AmigoCollect
import FuzzHarness

fuzz { data in
    guard let root = try? XMLDocument.parse(data) else { return }
    // Region names become endpoint host names: the validator sees what the decoder let through.
    for region in (try? EC2Decode.regions(root)) ?? [] { _ = AWSIdentifier.isRegion(region.name) }
    _ = EC2Decode.imageIds(root, ownedBy: "111122223333")
    _ = try? EC2Decode.images(root, account: "111122223333", region: "us-east-1")
    _ = try? EC2Decode.snapshots(root, account: "111122223333", region: "us-east-1")
    _ = try? EC2Decode.launchPermissions(root)
    _ = try? EC2Decode.createVolumePermissions(root)
    _ = try? EC2Decode.ebsEncryptionByDefault(root)
    _ = try? EC2Decode.imageBlockPublicAccessState(root)
    _ = try? EC2Decode.snapshotBlockPublicAccessState(root)
    _ = try? EC2Decode.allowedImagesSettings(root)
    _ = try? EC2Decode.instances(root, account: "111122223333", region: "us-east-1")
    _ = try? EC2Decode.launchTemplateVersions(root)
    _ = try? EC2Decode.instanceImageMetadata(root)
    _ = try? EC2Decode.lastLaunchedTime(root)
    _ = try? AutoScalingDecode.groups(root)
    _ = try? AutoScalingDecode.launchConfigurations(root, account: "111122223333", region: "us-east-1")
}
