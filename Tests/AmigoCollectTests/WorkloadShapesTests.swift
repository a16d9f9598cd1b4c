import AmigoAWS
@testable import AmigoCollect
import AmigoCore
import Foundation
import Testing

/// The workload shapes moto does not answer (fixtures/wire/aws, see its README), and the
/// Auto Scaling and SSM decoders.
@Suite struct WorkloadShapesTests {
    static let aws = Wire.repoRoot.appendingPathComponent("fixtures/wire/aws")
    static func fixture(_ name: String) throws -> XMLNode { try Wire.file(aws.appendingPathComponent(name)) }

    @Test func instanceImageMetadataKeepsWhatEC2RemembersEvenOfGoneImages() throws {
        let page = try EC2Decode.instanceImageMetadata(try Self.fixture("DescribeInstanceImageMetadata.xml"))
        #expect(page.problems.isEmpty && page.nextToken == nil)
        #expect(page.items.map(\.instanceId) == ["i-1234567890abcdef0", "i-0abcdef1234567890", "i-0fedcba9876543210"])
        #expect(page.items[0].metadata == ImageMetadata(
            imageId: "ami-0b752bf1df193a6c4", name: "al2023-ami-2023.5.20240819.0-kernel-6.1-x86_64", ownerId: "137112412989",
            ownerAlias: "amazon", state: "available", creationDate: Wire.date("2023-01-25T17:20:40Z"),
            deprecationTime: Wire.date("2025-01-25T17:20:40Z"), isPublic: true, imageAllowed: true))
        #expect(page.items[1].metadata == ImageMetadata(imageId: "ami-0c123456789abcdef", name: nil, ownerId: nil, ownerAlias: nil,
                                                        state: nil, creationDate: nil, deprecationTime: nil, isPublic: nil,
                                                        imageAllowed: nil), "a gone image: only its id")
        #expect(page.items[2].metadata.imageAllowed == false)
    }

    @Test func lastLaunchedTimeOrNever() throws {
        #expect(try EC2Decode.lastLaunchedTime(try Self.fixture("DescribeImageAttribute-lastLaunchedTime.xml"))
                == Wire.date("2024-02-20T19:20:00Z"))
        #expect(try EC2Decode.lastLaunchedTime(try Self.fixture("DescribeImageAttribute-lastLaunchedTime-never.xml")) == nil)
        let bad = "<DescribeImageAttributeResponse><lastLaunchedTime><value>yesterday</value></lastLaunchedTime></DescribeImageAttributeResponse>"
        let error = #expect(throws: DecodeError.self) { try EC2Decode.lastLaunchedTime(try Wire.xml(bad)) }
        #expect(error?.message.contains("\"yesterday\"") == true)
    }

    @Test func allowedImagesCriteriaAndWhoManagesThem() throws {
        let full = try EC2Decode.allowedImagesSettings(try Self.fixture("GetAllowedImagesSettings-criteria.xml"))
        #expect(full.state == "audit-mode" && full.managedBy == "declarative-policy")
        #expect(full.criteria == [
            ImageCriterion(imageProviders: ["amazon", "123456789012"], marketplaceProductCodes: [], imageNames: [],
                           maximumDaysSinceCreated: 300, maximumDaysSinceDeprecated: 0),
            ImageCriterion(imageProviders: ["aws-marketplace"], marketplaceProductCodes: ["abcdefghijklmnopqrstuvwxy"],
                           imageNames: ["golden-*", "base-??-2026*"], maximumDaysSinceCreated: nil, maximumDaysSinceDeprecated: nil),
        ])
        let none = try EC2Decode.allowedImagesSettings(try Self.fixture("GetAllowedImagesSettings-none.xml"))
        #expect(none.state == "disabled" && none.criteria.isEmpty && none.managedBy == "account")
    }

    @Test func groupsNameEverySourceAndRefuseWhatIsNotOne() throws {
        let body = """
        <DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups>
        \(Samples.group)
        <member><AutoScalingGroupName>legacy</AutoScalingGroupName><LaunchConfigurationName>web-v1</LaunchConfigurationName></member>
        <member><AutoScalingGroupName>nothing</AutoScalingGroupName></member>
        <member><AutoScalingGroupName>evil</AutoScalingGroupName><LaunchTemplate><LaunchTemplateId>lt-../../x</LaunchTemplateId></LaunchTemplate></member>
        <member><AutoScalingGroupName>v0</AutoScalingGroupName><LaunchTemplate><LaunchTemplateName>web</LaunchTemplateName><Version>0</Version></LaunchTemplate></member>
        </AutoScalingGroups></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>
        """
        let page = try AutoScalingDecode.groups(try Wire.xml(body))
        #expect(page.items.map(\.name) == ["web", "legacy"])
        #expect(page.items[0].sources == [
            .launchConfiguration("web-v3"),
            .launchTemplate(LaunchTemplateReference(id: "lt-0000000000000000a", name: "web", version: "$Latest")),
            .launchTemplate(LaunchTemplateReference(id: "lt-0000000000000000b", name: nil, version: "4")),
            .override(1, LaunchTemplateReference(id: nil, name: "arm", version: "$Latest")),
        ])
        #expect(page.items[0].tags == [Tag("team", "web")] && page.items[0].created == Wire.date("2026-09-11T22:00:00Z"))
        #expect(page.problems.map(\.message) == [
            "group \"nothing\" names no launch configuration, launch template or mixed instances policy",
            "group \"evil\" has LaunchTemplateId \"lt-../../x\", expected a launch template id (lt-…)",
            "group \"v0\" has Version \"0\", expected $Default, $Latest or a version number",
        ])
    }

    @Test func parametersOfOtherDataTypesAreNotImagesAndBadValuesAreNamed() throws {
        let listed = try SSMDecode.imageParameterNames(try Wire.json("""
            {"Parameters": [{"Name": "/golden/web", "DataType": "aws:ec2:image"}, {"Name": "/app/text", "DataType": "text"},
                            {"Name": "bad name\\nX-Evil: 1", "DataType": "aws:ec2:image"}], "NextToken": "n"}
            """))
        #expect(listed.items == ["/golden/web"] && listed.nextToken == "n")
        #expect(listed.problems.count == 1 && listed.problems[0].message.contains("expected an SSM parameter name"))
        let got = try SSMDecode.imageParameters(try Wire.json("""
            {"Parameters": [{"Name": "/golden/web", "Value": "ami-0000000a", "LastModifiedDate": 1789164000},
                            {"Name": "/golden/bad", "Value": "ami-../x"}], "InvalidParameters": ["/gone"]}
            """), account: "111122223333", region: "eu-west-1")
        #expect(got.items == [Workload(accountId: "111122223333", region: "eu-west-1", kind: .ssmParameter,
                                       resourceId: "/golden/web", name: nil, state: nil,
                                       launchTime: Date(timeIntervalSince1970: 1_789_164_000), tags: [],
                                       imageId: "ami-0000000a", via: nil, imageMetadata: nil)])
        #expect(got.problems.map(\.message) == ["parameter /golden/bad has Value \"ami-../x\", expected an AMI id (ami-…)"])
    }

    @Test func templateReferencesResolveByIdOrNameAndVersion() {
        let versions = [
            LaunchTemplateVersion(templateId: "lt-0000000000000000a", templateName: "web", versionNumber: 3, isDefault: true,
                                  created: nil, imageId: "ami-0000000a", unresolvedAlias: nil),
            LaunchTemplateVersion(templateId: "lt-0000000000000000a", templateName: "web", versionNumber: 5, isDefault: false,
                                  created: nil, imageId: "ami-0000000b", unresolvedAlias: nil),
        ]
        let index = TemplateIndex(versions)
        #expect(index.resolve(LaunchTemplateReference(id: "lt-0000000000000000a", name: nil, version: "$Default"))?.imageId == "ami-0000000a")
        #expect(index.resolve(LaunchTemplateReference(id: nil, name: "web", version: "$Latest"))?.imageId == "ami-0000000b")
        #expect(index.resolve(LaunchTemplateReference(id: nil, name: "web", version: "5"))?.imageId == "ami-0000000b")
        #expect(index.resolve(LaunchTemplateReference(id: nil, name: "web", version: "4")) == nil)
        #expect(index.resolve(LaunchTemplateReference(id: nil, name: "gone", version: "$Default")) == nil)
    }

    @Test func notFoundErrorsNameTheirIds() throws {
        let body = try String(contentsOf: Self.aws.appendingPathComponent("DescribeImages-ImageIds-NotFound.xml"), encoding: .utf8)
        let message = try #require(body.split(separator: "<Message>").last?.split(separator: "<").first.map(String.init))
        #expect(RegionCollector.imageIds(in: message) == ["ami-0deadbeef00000001", "ami-0deadbeef00000002"])
        #expect(RegionCollector.imageIds(in: "The image id '[ami-x, evil.example]' does not exist").isEmpty)
    }
}
