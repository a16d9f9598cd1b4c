import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Testing

/// The streaming parser (SAX straight into a flat element table) against libxml2's DOM, the
/// parser amigo used before: on every recorded response the two give the same elements and
/// texts, and every decoder the same model or the same error.
@Suite struct XMLParserEquivalenceTests {
    static let fixtures: [String] = {
        let root = Wire.repoRoot.appendingPathComponent("fixtures")
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var paths: [String] = []
        while let url = walker?.nextObject() as? URL {
            if url.pathExtension == "xml", let relative = url.path.components(separatedBy: "/fixtures/").last { paths.append(relative) }
        }
        return paths.sorted()
    }()

    @Test func everyWireFixtureIsCovered() {
        #expect(Self.fixtures.filter { $0.hasPrefix("wire/") }.count >= 16)
        #expect(Self.fixtures.count > 200)
    }

    @Test(arguments: fixtures)
    func bothParsersReadTheSameDocument(fixture: String) throws {
        let data = try Data(contentsOf: Wire.repoRoot.appendingPathComponent("fixtures").appendingPathComponent(fixture))
        let streamed = try XMLDocument.parse(data, parser: .streaming)
        let tree = try XMLDocument.parse(data, parser: .tree)
        #expect(Self.dump(streamed) == Self.dump(tree))
        #expect(Self.decoded(streamed) == Self.decoded(tree))
    }

    /// Shapes the fixtures do not have: namespaces, CDATA, character references, mixed
    /// content, empty and whitespace-only elements, repeated names.
    @Test(arguments: [
        #"<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><imagesSet><item><imageId>ami-1</imageId><imageState>available</imageState><isPublic>false</isPublic><name><![CDATA[a <b> & c]]></name><description>x &#233; &lt;y&gt;</description><tagSet><item><key>k</key><value/></item><item><key>k2</key><value>   </value></item></tagSet></item></imagesSet><nextToken>  </nextToken></DescribeImagesResponse>"#,
        "<DescribeImagesResponse><imagesSet><item><imageId>ami-1</imageId><imageId>ami-2</imageId><imageState>available</imageState><isPublic>true</isPublic><name>n<x/>m</name><blockDeviceMapping><item><deviceName>/dev/sda1</deviceName><ebs><encrypted>false</encrypted><volumeSize>8</volumeSize></ebs></item><item><deviceName>/dev/sdb</deviceName><noDevice/></item></blockDeviceMapping></item><item><imageState>available</imageState></item></imagesSet></DescribeImagesResponse>",
        "<DescribeImagesResponse>\n  <imagesSet>\n    <item>\n      <imageId>ami-3</imageId>\n      <imageState>available</imageState>\n      <isPublic>maybe</isPublic>\n    </item>\n  </imagesSet>\n</DescribeImagesResponse>",
        "<DescribeImageAttributeResponse><launchPermission><item><group>all</group></item><item><userId>1</userId></item></launchPermission></DescribeImageAttributeResponse>",
        "<DescribeSnapshotsResponse><snapshotSet><item><snapshotId>snap-1</snapshotId><encrypted>true</encrypted><volumeSize>x</volumeSize></item></snapshotSet></DescribeSnapshotsResponse>",
        "<a>\u{00A0}<b>\u{2003}</b><c> \u{00E9} </c></a>",
    ])
    func bothParsersReadTheSameShapes(xml: String) throws {
        let streamed = try XMLDocument.parse(Data(xml.utf8), parser: .streaming)
        let tree = try XMLDocument.parse(Data(xml.utf8), parser: .tree)
        #expect(Self.dump(streamed) == Self.dump(tree))
        #expect(Self.decoded(streamed) == Self.decoded(tree))
    }

    @Test(arguments: ["", "<a>", "<a></b>", "<a>&nope;</a>", "<a/><b/>", "just text", "<a x='1' x='2'/>"])
    func bothParsersRefuseTheSameBodies(xml: String) {
        for parser in XMLDocument.Parser.allCases {
            #expect(throws: XMLParseError.self, "\(parser)") { try XMLDocument.parse(Data(xml.utf8), parser: parser) }
        }
    }

    /// Every element's name, text and children, indented, with the accessors decoders use.
    static func dump(_ node: XMLNode, depth: Int = 0) -> String {
        var out = String(repeating: " ", count: depth) + node.name + " " + node.text.debugDescription
            + " string(first child)=" + String(describing: node.children.first.flatMap { node.string($0.name) }) + "\n"
        for child in node.children { out += dump(child, depth: depth + 1) }
        return out
    }

    /// The decoder of the response's operation, its model or its error, as text.
    static func decoded(_ root: XMLNode) -> String {
        func run(_ body: () throws -> Any) -> String {
            do { return String(describing: try body()) } catch { return "error: \(error)" }
        }
        switch root.name {
        case "DescribeImagesResponse":
            return run {
                let page = try EC2Decode.images(root, account: "111111111111", region: "r")
                return "\(page.images) \(page.undecodable) \(page.nextToken as Any) \(EC2Decode.imageIds(root, ownedBy: "111111111111"))"
            }
        case "DescribeImageAttributeResponse":
            return run { try EC2Decode.launchPermissions(root) } + run { try EC2Decode.lastLaunchedTime(root) as Any }
        case "DescribeSnapshotAttributeResponse": return run { try EC2Decode.createVolumePermissions(root) }
        case "DescribeSnapshotsResponse": return run { try EC2Decode.snapshots(root, account: "1", region: "r") }
        case "DescribeRegionsResponse": return run { try EC2Decode.regions(root) }
        case "DescribeInstancesResponse": return run { try EC2Decode.instances(root, account: "1", region: "r") }
        case "DescribeLaunchTemplateVersionsResponse": return run { try EC2Decode.launchTemplateVersions(root) }
        case "Response": // an EC2 error body, read by AWSClient's error parser
            let e = root.at("Errors", "Error")
            return "\([e?.string("Code"), e?.string("Message")] as [String?])"
        case "DescribeInstanceImageMetadataResponse": return run { try EC2Decode.instanceImageMetadata(root) }
        case "DescribeAutoScalingGroupsResponse": return run { try AutoScalingDecode.groups(root) }
        case "DescribeLaunchConfigurationsResponse": return run { try AutoScalingDecode.launchConfigurations(root, account: "1", region: "r") }
        case "GetEbsEncryptionByDefaultResponse": return run { try EC2Decode.ebsEncryptionByDefault(root) }
        case "GetImageBlockPublicAccessStateResponse": return run { try EC2Decode.imageBlockPublicAccessState(root) }
        case "GetSnapshotBlockPublicAccessStateResponse": return run { try EC2Decode.snapshotBlockPublicAccessState(root) }
        case "GetAllowedImagesSettingsResponse": return run { try EC2Decode.allowedImagesSettings(root) }
        case "GetCallerIdentityResponse": return run { try STSDecode.callerIdentity(root) }
        case "AssumeRoleResponse": // read by the credential provider, field by field like this
            let c = root.at("AssumeRoleResult", "Credentials")
            return "\(["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"].map { c?.string($0) as Any })"
        default: return "no decoder here for \(root.name): " + dump(root)
        }
    }
}
