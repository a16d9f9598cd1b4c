import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Testing

@Suite struct EC2ImagesDecodeTests {
    static let page = """
    <?xml version="1.0" encoding="UTF-8"?>
    <DescribeImagesResponse \(Wire.ec2NS)>
        <requestId>9f1c2a4e-0000-4000-8000-000000000001</requestId>
        <imagesSet>
            <item>
                <imageId>ami-0123456789abcdef0</imageId>
                <imageLocation>111111111111/golden</imageLocation>
                <imageState>available</imageState>
                <imageOwnerId>111111111111</imageOwnerId>
                <creationDate>2024-03-01T12:00:00.000Z</creationDate>
                <isPublic>false</isPublic>
                <architecture>arm64</architecture>
                <imageType>machine</imageType>
                <sriovNetSupport>simple</sriovNetSupport>
                <name>golden "web" &amp; api — Zürich</name>
                <description>built by CI &lt;nightly&gt;</description>
                <rootDeviceType>ebs</rootDeviceType>
                <rootDeviceName>/dev/xvda</rootDeviceName>
                <blockDeviceMapping>
                    <item>
                        <deviceName>/dev/xvda</deviceName>
                        <ebs>
                            <snapshotId>snap-0aaaaaaaaaaaaaaa1</snapshotId>
                            <volumeSize>8</volumeSize>
                            <deleteOnTermination>true</deleteOnTermination>
                            <volumeType>gp3</volumeType>
                            <iops>3000</iops>
                            <throughput>125</throughput>
                            <encrypted>true</encrypted>
                            <kmsKeyId>arn:aws:kms:eu-west-1:111111111111:key/k1</kmsKeyId>
                        </ebs>
                    </item>
                    <item><deviceName>/dev/sdb</deviceName><virtualName>ephemeral0</virtualName></item>
                    <item><deviceName>/dev/sdc</deviceName><noDevice/></item>
                </blockDeviceMapping>
                <virtualizationType>hvm</virtualizationType>
                <tagSet>
                    <item><key>Owner</key><value>&lt;script&gt;alert(1)&lt;/script&gt;</value></item>
                    <item><key>Empty</key><value/></item>
                </tagSet>
                <hypervisor>xen</hypervisor>
                <enaSupport>true</enaSupport>
                <platform>windows</platform>
                <platformDetails>Windows</platformDetails>
                <usageOperation>RunInstances:0002</usageOperation>
                <bootMode>uefi</bootMode>
                <tpmSupport>v2.0</tpmSupport>
                <imdsSupport>v2.0</imdsSupport>
                <deprecationTime>2026-06-01T00:00:00.000Z</deprecationTime>
                <deregistrationProtection>disabled</deregistrationProtection>
                <lastLaunchedTime>2026-10-20T08:15:00Z</lastLaunchedTime>
                <sourceImageId>ami-0fedcba9876543210</sourceImageId>
                <sourceImageRegion>us-east-1</sourceImageRegion>
                <imageOwnerAlias>self</imageOwnerAlias>
                <futureElement><nested>ignored</nested></futureElement>
            </item>
            <item>
                <imageId>ami-0000000000000000b</imageId>
                <imageState>available</imageState>
                <isPublic>true</isPublic>
            </item>
        </imagesSet>
        <nextToken>page-2-token</nextToken>
    </DescribeImagesResponse>
    """

    @Test func decodesEveryFieldOfAFullImage() throws {
        let page = try EC2Decode.images(try Wire.xml(Self.page), account: "111111111111", region: "eu-west-1")
        let images = page.images
        #expect(page.nextToken == "page-2-token" && page.undecodable.isEmpty)
        #expect(images.count == 2)
        let i = images[0]
        #expect(i.accountId == "111111111111" && i.region == "eu-west-1")
        #expect(i.imageId == "ami-0123456789abcdef0")
        #expect(i.name == "golden \"web\" & api — Zürich")
        #expect(i.description == "built by CI <nightly>")
        #expect(i.ownerId == "111111111111" && i.ownerAlias == "self")
        #expect(i.creationDate == Wire.date("2024-03-01T12:00:00Z"))
        #expect(i.deprecationTime == Wire.date("2026-06-01T00:00:00Z"))
        #expect(i.lastLaunchedTime == Wire.date("2026-10-20T08:15:00Z"))
        #expect(i.state == "available" && i.isPublic == false)
        #expect(i.virtualizationType == "hvm" && i.architecture == "arm64" && i.imageType == "machine")
        #expect(i.rootDeviceType == "ebs" && i.rootDeviceName == "/dev/xvda")
        #expect(i.bootMode == "uefi" && i.tpmSupport == "v2.0" && i.imdsSupport == "v2.0")
        #expect(i.enaSupport == true && i.platform == "windows" && i.platformDetails == "Windows")
        #expect(i.usageOperation == "RunInstances:0002")
        #expect(i.sourceImageId == "ami-0fedcba9876543210" && i.sourceImageRegion == "us-east-1")
        #expect(i.deregistrationProtection == "disabled")
        #expect(i.tags == [Tag("Owner", "<script>alert(1)</script>"), Tag("Empty", "")])
        #expect(i.blockDevices == [
            BlockDevice(deviceName: "/dev/xvda", snapshotId: "snap-0aaaaaaaaaaaaaaa1", volumeSize: 8,
                        volumeType: "gp3", encrypted: true,
                        kmsKeyId: "arn:aws:kms:eu-west-1:111111111111:key/k1", deleteOnTermination: true),
            BlockDevice(deviceName: "/dev/sdb", virtualName: "ephemeral0"),
        ])
        #expect(i.launchPermissions == nil && i.instanceCount == nil)
    }

    @Test func missingOptionalsAreNil() throws {
        let i = try EC2Decode.images(try Wire.xml(Self.page), account: "111111111111", region: "eu-west-1").images[1]
        #expect(i.isPublic == true)
        #expect(i.ownerId == "111111111111", "owner falls back to the account asked")
        #expect(i.name == nil && i.description == nil && i.creationDate == nil && i.deprecationTime == nil)
        #expect(i.virtualizationType == nil && i.architecture == nil && i.enaSupport == nil)
        #expect(i.tags.isEmpty && i.blockDevices.isEmpty)
    }

    @Test func lastPageHasNoToken() throws {
        let body = "<DescribeImagesResponse \(Wire.ec2NS)><requestId>r</requestId><imagesSet/></DescribeImagesResponse>"
        let page = try EC2Decode.images(try Wire.xml(body), account: "1", region: "r")
        #expect(page.images.isEmpty && page.undecodable.isEmpty && page.nextToken == nil)
    }

    @Test(arguments: [
        ("<item><imageState>available</imageState><isPublic>false</isPublic></item>", "image item 1 has no imageId"),
        ("<item><imageId>ami-1</imageId><isPublic>false</isPublic></item>", "image ami-1 has no imageState"),
        ("<item><imageId>ami-1</imageId><imageState>available</imageState></item>", "image ami-1 has no isPublic"),
        ("<item><imageId>ami-1</imageId><imageState>available</imageState><isPublic>yes</isPublic></item>",
         "image ami-1 has isPublic \"yes\", expected true or false"),
        ("<item><imageId>ami-1</imageId><imageState>available</imageState><isPublic>false</isPublic><creationDate>last week</creationDate></item>",
         "image ami-1 has creationDate \"last week\", expected an ISO 8601 timestamp"),
        ("<item><imageId>ami-1</imageId><imageState>available</imageState><isPublic>false</isPublic><creationDate>now\n\u{202E}ok</creationDate></item>",
         "image ami-1 has creationDate \"now\\n\\u{202e}ok\", expected an ISO 8601 timestamp"),
        ("<item><imageId>ami-1</imageId><imageState>available</imageState><isPublic>false</isPublic><tagSet><item><value>v</value></item></tagSet></item>",
         "image ami-1 tag 1 has no key"),
        ("<item><imageId>ami-1</imageId><imageState>available</imageState><isPublic>false</isPublic><blockDeviceMapping><item><ebs><volumeSize>eight</volumeSize></ebs><deviceName>/dev/xvda</deviceName></item></blockDeviceMapping></item>",
         "image ami-1 block device 1 has volumeSize \"eight\", expected an integer"),
    ])
    func missingOrMalformedRequiredFieldMakesOnlyThatImageUndecodable(item: String, message: String) throws {
        let good = "<item><imageId>ami-2</imageId><imageState>available</imageState><isPublic>false</isPublic></item>"
        let body = "<DescribeImagesResponse \(Wire.ec2NS)><imagesSet>\(item)\(good)\(good)</imagesSet></DescribeImagesResponse>"
        let page = try EC2Decode.images(try Wire.xml(body), account: "1", region: "r")
        #expect(page.images.map(\.imageId) == ["ami-2", "ami-2"])
        #expect(page.undecodable.map(\.error.description) == ["DescribeImages: \(message)"])
        #expect(page.undecodable.first?.imageId == (message.hasPrefix("image item") ? nil : "ami-1"))
    }

    @Test func bodyOfAnotherOperationIsAnError() throws {
        let body = "<DescribeSnapshotsResponse \(Wire.ec2NS)><snapshotSet/></DescribeSnapshotsResponse>"
        #expect(throws: DecodeError.self) { try EC2Decode.images(try Wire.xml(body), account: "1", region: "r") }
    }

    @Test func truncatedBodyDoesNotParse() {
        let cut = String(Self.page.prefix(Self.page.count / 2))
        #expect(throws: XMLParseError.self) { try XMLDocument.parse(Data(cut.utf8)) }
    }

    @Test func motoCapture() throws {
        let root = try Wire.file(Wire.moto.appendingPathComponent("DescribeImages.xml"))
        let page = try EC2Decode.images(root, account: "010651333872", region: "eu-west-1")
        let images = page.images
        #expect(page.nextToken == nil)
        #expect(images.count == 2)
        let golden = try #require(images.first { $0.name?.hasPrefix("golden") == true })
        #expect(golden.name == "golden \"web\" & co — ünïcode")
        #expect(golden.isPublic && golden.tag("Environment") == "prod")
        #expect(golden.blockDevices.first?.encrypted == nil, "moto omits encrypted on AMI mappings")
        #expect(golden.creationDate != nil)
    }
}
