import AmigoAWS
@testable import AmigoCollect
import AmigoCore
import Foundation
import Testing

@Suite struct EC2OtherDecodeTests {
    @Test func regionsWithOptInStatus() throws {
        let body = """
        <DescribeRegionsResponse \(Wire.ec2NS)><requestId>r</requestId><regionInfo>
          <item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
          <item><regionName>af-south-1</regionName><regionEndpoint>ec2.af-south-1.amazonaws.com</regionEndpoint><optInStatus>not-opted-in</optInStatus></item>
          <item><regionName>me-south-1</regionName><optInStatus>opted-in</optInStatus><geographySet><item><name>x</name></item></geographySet></item>
          <item><regionName>eu-west-1</regionName></item>
        </regionInfo></DescribeRegionsResponse>
        """
        let regions = try EC2Decode.regions(try Wire.xml(body))
        #expect(regions.map(\.name) == ["us-east-1", "af-south-1", "me-south-1", "eu-west-1"])
        #expect(regions.map(\.isEnabled) == [true, false, true, true])
        #expect(regions[0].endpoint == "ec2.us-east-1.amazonaws.com" && regions[3].optInStatus == nil)
    }

    @Test func regionWithoutNameIsAnError() throws {
        let body = "<DescribeRegionsResponse><regionInfo><item><optInStatus>opted-in</optInStatus></item></regionInfo></DescribeRegionsResponse>"
        let error = #expect(throws: DecodeError.self) { try EC2Decode.regions(try Wire.xml(body)) }
        #expect(error?.description == "DescribeRegions: region item 1 has no regionName")
    }

    @Test func motoRegions() throws {
        let regions = try EC2Decode.regions(try Wire.file(Wire.moto.appendingPathComponent("DescribeRegions.xml")))
        #expect(regions.count > 30)
        #expect(regions.contains { !$0.isEnabled } && regions.contains { $0.isEnabled })
    }

    @Test func launchPermissionsOfEveryKind() throws {
        let root = try Wire.file(Wire.moto.appendingPathComponent("DescribeImageAttribute-launchPermission.xml"))
        let permissions = try EC2Decode.launchPermissions(root)
        #expect(permissions.count == 4)
        #expect(permissions[0] == .everyone && permissions[1] == .account("222222222222"))
        guard case .organization(let org) = permissions[2], case .organizationalUnit(let ou) = permissions[3] else {
            Issue.record("expected organization then OU, got \(permissions)"); return
        }
        #expect(org.contains(":organization/o-") && ou.contains(":ou/o-"))
    }

    @Test func emptyAndUnknownPermissions() throws {
        let empty = "<DescribeImageAttributeResponse \(Wire.ec2NS)><imageId>ami-1</imageId><launchPermission/></DescribeImageAttributeResponse>"
        #expect(try EC2Decode.launchPermissions(try Wire.xml(empty)) == [])
        let odd = "<DescribeImageAttributeResponse><launchPermission><item><principal>x</principal></item></launchPermission></DescribeImageAttributeResponse>"
        #expect(throws: DecodeError.self) { try EC2Decode.launchPermissions(try Wire.xml(odd)) }
        let group = "<DescribeImageAttributeResponse><launchPermission><item><group>staff</group></item></launchPermission></DescribeImageAttributeResponse>"
        #expect(throws: DecodeError.self) { try EC2Decode.launchPermissions(try Wire.xml(group)) }
    }

    @Test func motoSnapshotsAndAttribute() throws {
        let (snapshots, token) = try EC2Decode.snapshots(
            try Wire.file(Wire.moto.appendingPathComponent("DescribeSnapshots.xml")), account: "010651333872", region: "eu-west-1")
        #expect(token == nil && snapshots.count == 2)
        #expect(snapshots[0].encrypted == false && snapshots[0].volumeSize == 15 && snapshots[0].startTime != nil)
        #expect(snapshots[0].createVolumePermissions == nil)
        let perms = try EC2Decode.createVolumePermissions(
            try Wire.file(Wire.moto.appendingPathComponent("DescribeSnapshotAttribute-createVolumePermission.xml")))
        #expect(perms == [.account("222222222222")])
    }

    @Test func snapshotWithoutEncryptedIsAnError() throws {
        let body = "<DescribeSnapshotsResponse><snapshotSet><item><snapshotId>snap-1</snapshotId></item></snapshotSet></DescribeSnapshotsResponse>"
        let error = #expect(throws: DecodeError.self) { try EC2Decode.snapshots(try Wire.xml(body), account: "1", region: "r") }
        #expect(error?.description == "DescribeSnapshots: snapshot snap-1 has no encrypted")
    }

    @Test func guardrails() throws {
        #expect(try EC2Decode.ebsEncryptionByDefault(try Wire.file(Wire.moto.appendingPathComponent("GetEbsEncryptionByDefault.xml"))) == false)
        let ibpa = "<GetImageBlockPublicAccessStateResponse \(Wire.ec2NS)><requestId>r</requestId><imageBlockPublicAccessState>block-new-sharing</imageBlockPublicAccessState><managedBy>account</managedBy></GetImageBlockPublicAccessStateResponse>"
        #expect(try EC2Decode.imageBlockPublicAccessState(try Wire.xml(ibpa)) == "block-new-sharing")
        let sbpa = "<GetSnapshotBlockPublicAccessStateResponse \(Wire.ec2NS)><state>block-all-sharing</state></GetSnapshotBlockPublicAccessStateResponse>"
        #expect(try EC2Decode.snapshotBlockPublicAccessState(try Wire.xml(sbpa)) == "block-all-sharing")
        let allowed = "<GetAllowedImagesSettingsResponse \(Wire.ec2NS)><state>audit-mode</state><imageCriterionSet><item><imageProviderSet><item>amazon</item></imageProviderSet></item></imageCriterionSet></GetAllowedImagesSettingsResponse>"
        let settings = try EC2Decode.allowedImagesSettings(try Wire.xml(allowed))
        #expect(settings.state == "audit-mode" && settings.criteria.map(\.imageProviders) == [["amazon"]] && settings.managedBy == nil)
        let missing = "<GetAllowedImagesSettingsResponse \(Wire.ec2NS)><managedBy>account</managedBy></GetAllowedImagesSettingsResponse>"
        let error = #expect(throws: DecodeError.self) { try EC2Decode.allowedImagesSettings(try Wire.xml(missing)) }
        #expect(error?.operation == "GetAllowedImagesSettings")
    }

    @Test func instancesSkipTerminatedAndNameWhatDoesNotDecode() throws {
        let body = """
        <DescribeInstancesResponse \(Wire.ec2NS)><reservationSet>
          <item><reservationId>r-1</reservationId><instancesSet>
            <item><instanceId>i-0000000a</instanceId><imageId>ami-0000000a</imageId><instanceState><code>16</code><name>running</name></instanceState>
              <launchTime>2026-09-11T22:00:00.000Z</launchTime><tagSet><item><key>Name</key><value>web</value></item></tagSet></item>
            <item><instanceId>i-0000000b</instanceId><imageId>ami-0000000a</imageId><instanceState><code>80</code><name>stopped</name></instanceState></item>
          </instancesSet></item>
          <item><instancesSet>
            <item><instanceId>i-0000000c</instanceId><imageId>ami-0000000b</imageId><instanceState><code>48</code><name>terminated</name></instanceState></item>
            <item><instanceId>i-0000000d</instanceId></item>
            <item><instanceId>i-0000000e</instanceId><imageId>evil.example/x?</imageId></item>
            <item><instanceId>i-../../x</instanceId><imageId>ami-0000000a</imageId></item>
          </instancesSet></item>
        </reservationSet><nextToken>t2</nextToken></DescribeInstancesResponse>
        """
        let page = try EC2Decode.instances(try Wire.xml(body), account: "111122223333", region: "eu-west-1")
        #expect(page.items.map(\.resourceId) == ["i-0000000a", "i-0000000b"])
        #expect(page.items[0] == Workload(accountId: "111122223333", region: "eu-west-1", kind: .instance,
                                          resourceId: "i-0000000a", name: "web", state: "running",
                                          launchTime: Date(timeIntervalSince1970: 1_789_164_000), tags: [Tag("Name", "web")],
                                          imageId: "ami-0000000a", via: nil, imageMetadata: nil))
        #expect(page.problems.map(\.message) == [
            "instance i-0000000d has no imageId",
            "instance i-0000000e has imageId \"evil.example/x?\", expected an AMI id (ami-…)",
            "reservation 2 instance 4 has instanceId \"i-../../x\", expected an instance id (i-…)",
        ])
        #expect(page.nextToken == "t2")
        let moto = try EC2Decode.instances(try Wire.file(Wire.moto.appendingPathComponent("DescribeInstances.xml")),
                                           account: "123456789012", region: "us-east-1")
        #expect(moto.items.count == 1 && moto.problems.isEmpty && moto.nextToken == nil)
    }
}

@Suite struct LaunchTemplateDecodeTests {
    @Test func versionsKeepDefaultAliasAndProblems() throws {
        let body = """
        <DescribeLaunchTemplateVersionsResponse \(Wire.ec2NS)><launchTemplateVersionSet>
          <item><launchTemplateId>lt-0000000000000000a</launchTemplateId><launchTemplateName>web</launchTemplateName><versionNumber>3</versionNumber><defaultVersion>true</defaultVersion>
            <createTime>2026-09-11T22:00:00.000Z</createTime><launchTemplateData><imageId>ami-0000000a</imageId></launchTemplateData></item>
          <item><launchTemplateId>lt-0000000000000000b</launchTemplateId><versionNumber>7</versionNumber>
            <launchTemplateData><imageId>resolve:ssm:/golden/web</imageId></launchTemplateData></item>
          <item><launchTemplateId>lt-0000000000000000c</launchTemplateId><versionNumber>1</versionNumber>
            <launchTemplateData><instanceType>t3.micro</instanceType></launchTemplateData></item>
          <item><launchTemplateId>lt-x</launchTemplateId><versionNumber>1</versionNumber></item>
          <item><launchTemplateId>lt-0000000000000000d</launchTemplateId><versionNumber>one</versionNumber></item>
        </launchTemplateVersionSet><nextToken>n2</nextToken></DescribeLaunchTemplateVersionsResponse>
        """
        let page = try EC2Decode.launchTemplateVersions(try Wire.xml(body))
        #expect(page.items.map(\.templateId) == ["lt-0000000000000000a", "lt-0000000000000000b", "lt-0000000000000000c"])
        #expect(page.items.map(\.isDefault) == [true, false, false])
        #expect(page.items.map(\.imageId) == ["ami-0000000a", nil, nil])
        #expect(page.items[1].unresolvedAlias == "resolve:ssm:/golden/web")
        #expect(page.problems.count == 2 && page.nextToken == "n2")
        let workloads = RegionCollector.templateWorkloads(page.items + page.items, account: "1", region: "r")
        #expect(workloads.map(\.resourceId) == ["lt-0000000000000000a:3", "lt-0000000000000000b:7"],
                "a version listed twice ($Default and $Latest) is one workload; one without an image is none")
    }

    @Test func aBodyFromAnotherCallIsAnError() {
        #expect(throws: DecodeError.self) {
            try EC2Decode.launchTemplateVersions(try Wire.xml("<DescribeInstancesResponse \(Wire.ec2NS)/>"))
        }
    }
}

@Suite struct TimestampDecodeTests {
    @Test(arguments: [
        ("2024-03-01T12:00:00.000Z", "2024-03-01T12:00:00Z"),
        ("2099-01-01T00:00:00Z", "2099-01-01T00:00:00Z"),
        ("2024-02-29T23:59:59.999999Z", "2024-02-29T23:59:59Z"),
        ("2024-03-01T14:00:00+02:00", "2024-03-01T12:00:00Z"),
        ("1969-12-31T00:00:00Z", "1969-12-31T00:00:00Z"),
    ])
    func acceptedForms(text: String, utc: String) throws {
        let body = "<DescribeSnapshotsResponse><snapshotSet><item><snapshotId>snap-1</snapshotId><encrypted>true</encrypted><startTime>\(text)</startTime></item></snapshotSet></DescribeSnapshotsResponse>"
        let start = try EC2Decode.snapshots(try Wire.xml(body), account: "1", region: "r").snapshots[0].startTime
        let seconds = try #require(start).timeIntervalSince(Wire.date(utc))
        #expect(seconds >= 0 && seconds < 1)
    }

    @Test(arguments: ["2023-02-29T00:00:00Z", "2024-03-01T12:00:00", "2024-03-01 12:00", "2024-13-01T00:00:00Z",
                      "2024-03-01T12:00:00.Z", "2024-03-01T12:00:00Zjunk"])
    func rejectedForms(text: String) throws {
        let body = "<DescribeSnapshotsResponse><snapshotSet><item><snapshotId>snap-1</snapshotId><encrypted>true</encrypted><startTime>\(text)</startTime></item></snapshotSet></DescribeSnapshotsResponse>"
        #expect(throws: DecodeError.self) { try EC2Decode.snapshots(try Wire.xml(body), account: "1", region: "r") }
    }
}
