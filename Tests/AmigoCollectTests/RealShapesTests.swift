import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Testing

/// AWS as it really answers (fixtures/wire/aws, see its README): old namespaces, empty
/// elements for values it does not have, legacy instance-store images.
@Suite struct RealShapesTests {
    static let aws = Wire.repoRoot.appendingPathComponent("fixtures/wire/aws")

    @Test func legacyImagesOf2013DecodeWithEmptyCreationDates() throws {
        let page = try EC2Decode.images(try Wire.file(Self.aws.appendingPathComponent("DescribeImages-2013-10-15.xml")),
                                        account: "111122223333", region: "us-east-1")
        #expect(page.undecodable.isEmpty)
        #expect(page.images.map(\.imageId) == ["ami-20e90e49", "ami-1a2b3c4d"])
        let legacy = page.images[0]
        #expect(legacy.creationDate == nil && legacy.description == nil)
        #expect(legacy.rootDeviceType == "instance-store" && legacy.virtualizationType == nil)
        #expect(legacy.blockDevices.isEmpty && legacy.tags.isEmpty)
        let documented = page.images[1]
        #expect(documented.creationDate == nil, "whitespace only is absent too")
        #expect(documented.blockDevices == [
            BlockDevice(deviceName: "/dev/sda1", snapshotId: "snap-1234567890abcdef0", volumeSize: 15,
                        volumeType: "standard", encrypted: nil, deleteOnTermination: false),
            BlockDevice(deviceName: "/dev/sdb", virtualName: "ephemeral1"),
        ], "an item with only virtualName and a noDevice mapping are no volumes")
    }

    @Test func deprecationTimesWithAndWithoutMillisecondsAndEmptyScalars() throws {
        let page = try EC2Decode.images(try Wire.file(Self.aws.appendingPathComponent("DescribeImages-2016-11-15-deprecation.xml")),
                                        account: "123456789012", region: "eu-west-1")
        #expect(page.undecodable.isEmpty)
        let (old, new) = (page.images[0], page.images[1])
        #expect(old.deprecationTime == Wire.date("2023-03-01T10:00:00Z"))
        #expect(new.deprecationTime == Wire.date("2026-01-15T08:30:00Z"))
        #expect(old.enaSupport == nil && old.lastLaunchedTime == nil, "<enaSupport/> and <lastLaunchedTime/> are absent")
        #expect(old.blockDevices.first?.encrypted == false)
        #expect(new.bootMode == nil && new.architecture == nil && new.virtualizationType == "hvm")
        #expect(new.blockDevices.first?.volumeSize == nil && new.blockDevices.first?.deleteOnTermination == nil)
        #expect(new.tags == [Tag("Owner", "")])
    }

    @Test func launchPermissionsOfAllFourKindsIn2014Namespace() throws {
        let permissions = try EC2Decode.launchPermissions(
            try Wire.file(Self.aws.appendingPathComponent("DescribeImageAttribute-2014-10-01.xml")))
        #expect(permissions == [
            .everyone, .account("495219933132"),
            .organization("arn:aws:organizations::123456789012:organization/o-123example"),
            .organizationalUnit("arn:aws:organizations::123456789012:ou/o-123example/ou-1234-5example"),
        ])
    }

    @Test func regionsOf2014WithoutOrWithEmptyOptInStatus() throws {
        let regions = try EC2Decode.regions(try Wire.file(Self.aws.appendingPathComponent("DescribeRegions-2014-06-15.xml")))
        #expect(regions.map(\.name) == ["us-east-1", "eu-west-1"])
        #expect(regions.allSatisfy { $0.optInStatus == nil && $0.isEnabled })
    }

    @Test func aPageWithAnEmptyAndAGarbageCreationDate() throws {
        let page = try EC2Decode.images(
            try Wire.file(Wire.repoRoot.appendingPathComponent("fixtures/wire/legacy-page/responses/DescribeImages.xml")),
            account: "111122223333", region: "us-east-1")
        #expect(page.images.map(\.imageId) == ["ami-0aaaaaaaaaaaaaaa1", "ami-20e90e49", "ami-0ccccccccccccccc3"])
        #expect(page.images[1].creationDate == nil)
        #expect(page.undecodable.map(\.imageId) == ["ami-0bbbbbbbbbbbbbbb2"])
        #expect(page.undecodable.first?.error.message
                == "image ami-0bbbbbbbbbbbbbbb2 has creationDate \"the day before yesterday\", expected an ISO 8601 timestamp")
    }
}

/// An empty or whitespace-only element is the same as an absent one, for every scalar type,
/// in every decoder.
@Suite struct EmptyIsAbsentTests {
    static func image(_ field: String, _ value: String?) -> String {
        let element = value.map { "<\(field)>\($0)</\(field)>" } ?? ""
        let device = ["volumeSize", "encrypted", "deleteOnTermination", "snapshotId", "kmsKeyId", "volumeType"].contains(field)
        return "<DescribeImagesResponse><imagesSet><item><imageId>ami-1</imageId><imageState>available</imageState><isPublic>false</isPublic>"
            + (device ? "<blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs>\(element)</ebs></item></blockDeviceMapping>" : element)
            + "</item></imagesSet></DescribeImagesResponse>"
    }

    @Test(arguments: ["creationDate", "deprecationTime", "lastLaunchedTime", "enaSupport", "name", "description",
                      "imageOwnerId", "virtualizationType", "architecture", "bootMode", "imdsSupport", "tpmSupport",
                      "platform", "rootDeviceName", "sourceImageId", "volumeSize", "encrypted", "deleteOnTermination",
                      "snapshotId", "kmsKeyId", "volumeType"])
    func imageFields(field: String) throws {
        let absent = try EC2Decode.images(try Wire.xml(Self.image(field, nil)), account: "1", region: "r").images
        #expect(absent.count == 1)
        for value in ["", " ", "\n\t "] {
            let empty = try EC2Decode.images(try Wire.xml(Self.image(field, value)), account: "1", region: "r")
            #expect(empty.undecodable.isEmpty, "\(field) = \(value.debugDescription)")
            #expect(empty.images == absent, "\(field) = \(value.debugDescription)")
        }
    }

    @Test func requiredImageFieldsThatAreEmptyAreMissing() throws {
        let body = "<DescribeImagesResponse><imagesSet><item><imageId>ami-1</imageId><imageState> </imageState><isPublic/></item></imagesSet></DescribeImagesResponse>"
        let page = try EC2Decode.images(try Wire.xml(body), account: "1", region: "r")
        #expect(page.undecodable.first?.error.message == "image ami-1 has no imageState")
    }

    @Test func snapshotFields() throws {
        func snapshots(_ extra: String) throws -> [Snapshot] {
            try EC2Decode.snapshots(try Wire.xml("<DescribeSnapshotsResponse><snapshotSet><item><snapshotId>snap-1</snapshotId><encrypted>true</encrypted>\(extra)</item></snapshotSet><nextToken> </nextToken></DescribeSnapshotsResponse>"),
                                    account: "1", region: "r").snapshots
        }
        #expect(try snapshots("<startTime/><volumeSize> </volumeSize><ownerId/><kmsKeyId></kmsKeyId>") == snapshots(""))
    }

    @Test func tokensThatAreEmptyEndTheListing() throws {
        let body = "<DescribeImagesResponse><imagesSet/><nextToken>  </nextToken></DescribeImagesResponse>"
        #expect(try EC2Decode.images(try Wire.xml(body), account: "1", region: "r").nextToken == nil)
        #expect(try OrganizationsDecode.accounts(try Wire.json("{\"Accounts\":[],\"NextToken\":\" \"}")).nextToken == nil)
    }

    @Test func stsFields() async throws {
        let body = "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken> </SessionToken><Expiration/></Credentials></AssumeRoleResult></AssumeRoleResponse>"
        let credentials = try await assumedCredentials(body)
        #expect(credentials.expiration == nil && credentials.sessionToken == nil)
        let blank = "<GetCallerIdentityResponse><GetCallerIdentityResult><Account> </Account><Arn>a</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>"
        let error = #expect(throws: DecodeError.self) { try STSDecode.callerIdentity(try Wire.xml(blank)) }
        #expect(error?.message == "GetCallerIdentityResult has no Account")
    }

    @Test func organizationsFields() throws {
        let (accounts, _) = try OrganizationsDecode.accounts(try Wire.json(
            "{\"Accounts\":[{\"Id\":\"111122223333\",\"Name\":\"\",\"Email\":\"  \",\"State\":\"\",\"Status\":\"ACTIVE\"}]}"))
        #expect(accounts == [Account(id: "111122223333", status: "ACTIVE")])
        let error = #expect(throws: DecodeError.self) {
            try OrganizationsDecode.accounts(try Wire.json("{\"Accounts\":[{\"Id\":\" \"}]}"))
        }
        #expect(error?.message == "account item 1 has no Id")
        let wrong = #expect(throws: DecodeError.self) {
            try OrganizationsDecode.accounts(try Wire.json("{\"Accounts\":[{\"Id\":111122223333}]}"))
        }
        #expect(wrong?.message.contains("expected a string") == true)
    }
}
