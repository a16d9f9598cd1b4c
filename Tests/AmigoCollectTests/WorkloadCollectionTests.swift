import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Testing

/// One account×region's workloads through the real collector against a stand-in that answers
/// as AWS does, including AWS's habit of failing a whole `DescribeImages ImageIds=` batch
/// because of one unknown id.
@Suite struct WorkloadCollectionTests {
    static let owned = "ami-0000000000000000a"
    static let shared = "ami-0000000000000000b"
    static let gone = "ami-0000000000000000c"
    static let viaTemplate = "ami-0000000000000000d"
    static let peer = "444455556666"

    static func notFound(_ ids: [String]) -> HTTPResponse {
        HTTPResponse(status: 400, body: Data("<Response><Errors><Error><Code>InvalidAMIID.NotFound</Code><Message>The image id '[\(ids.joined(separator: ", "))]' does not exist</Message></Error></Errors></Response>".utf8))
    }

    static func answer(_ request: StandIn.Request) -> HTTPResponse {
        switch request.action {
        case "GetCallerIdentity": return StandIn.callerIdentity
        case "DescribeRegions": return StandIn.regions(["us-east-1"])
        case "DescribeImages" where request.parameters["ImageId.1"] == nil:
            return StandIn.images(StandIn.image(owned))
        case "DescribeImages":
            let asked = request.parameters.filter { $0.key.hasPrefix("ImageId.") }.map(\.value).sorted()
            let known = [shared, viaTemplate]
            let unknown = asked.filter { !known.contains($0) }
            if !unknown.isEmpty { return notFound(unknown) }
            return StandIn.images(asked.map {
                "<item><imageId>\($0)</imageId><imageState>available</imageState><imageOwnerId>\(peer)</imageOwnerId><isPublic>false</isPublic><name>golden</name></item>"
            }.joined())
        case "DescribeInstances":
            return StandIn.xml("""
                <DescribeInstancesResponse><reservationSet><item><instancesSet>
                <item><instanceId>i-0000000000000000a</instanceId><imageId>\(owned)</imageId><instanceState><name>running</name></instanceState></item>
                <item><instanceId>i-0000000000000000b</instanceId><imageId>\(shared)</imageId><instanceState><name>stopped</name></instanceState></item>
                <item><instanceId>i-0000000000000000c</instanceId><imageId>\(gone)</imageId><instanceState><name>running</name></instanceState></item>
                <item><instanceId>i-0000000000000000e</instanceId><imageId>\(owned)</imageId><instanceState><name>terminated</name></instanceState></item>
                </instancesSet></item></reservationSet></DescribeInstancesResponse>
                """)
        case "DescribeLaunchTemplateVersions" where request.parameters["LaunchTemplateId"] != nil:
            // The numbered version a group names, asked for by template id.
            return StandIn.xml("""
                <DescribeLaunchTemplateVersionsResponse><launchTemplateVersionSet>
                <item><launchTemplateId>lt-0000000000000000a</launchTemplateId><launchTemplateName>web</launchTemplateName><versionNumber>2</versionNumber>
                <launchTemplateData><imageId>\(viaTemplate)</imageId></launchTemplateData></item>
                </launchTemplateVersionSet></DescribeLaunchTemplateVersionsResponse>
                """)
        case "DescribeLaunchTemplateVersions":
            return StandIn.xml("""
                <DescribeLaunchTemplateVersionsResponse><launchTemplateVersionSet>
                <item><launchTemplateId>lt-0000000000000000a</launchTemplateId><launchTemplateName>web</launchTemplateName><versionNumber>3</versionNumber><defaultVersion>true</defaultVersion>
                <launchTemplateData><imageId>\(owned)</imageId></launchTemplateData></item>
                <item><launchTemplateId>lt-0000000000000000a</launchTemplateId><launchTemplateName>web</launchTemplateName><versionNumber>3</versionNumber><defaultVersion>true</defaultVersion>
                <launchTemplateData><imageId>\(owned)</imageId></launchTemplateData></item>
                </launchTemplateVersionSet></DescribeLaunchTemplateVersionsResponse>
                """)
        case "DescribeAutoScalingGroups":
            return StandIn.xml("""
                <DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups>
                <member><AutoScalingGroupName>web</AutoScalingGroupName><LaunchTemplate><LaunchTemplateId>lt-0000000000000000a</LaunchTemplateId><Version>2</Version></LaunchTemplate></member>
                <member><AutoScalingGroupName>legacy</AutoScalingGroupName><LaunchConfigurationName>legacy-v1</LaunchConfigurationName></member>
                <member><AutoScalingGroupName>orphan</AutoScalingGroupName><LaunchConfigurationName>deleted</LaunchConfigurationName></member>
                </AutoScalingGroups></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>
                """)
        case "DescribeLaunchConfigurations":
            return StandIn.xml("""
                <DescribeLaunchConfigurationsResponse><DescribeLaunchConfigurationsResult><LaunchConfigurations>
                <member><LaunchConfigurationName>legacy-v1</LaunchConfigurationName><ImageId>\(shared)</ImageId></member>
                </LaunchConfigurations></DescribeLaunchConfigurationsResult></DescribeLaunchConfigurationsResponse>
                """)
        case "DescribeParameters":
            return StandIn.json(["Parameters": [["Name": "/golden/web", "DataType": "aws:ec2:image"]]])
        case "GetParameters":
            return StandIn.json(["Parameters": [["Name": "/golden/web", "Value": shared]], "InvalidParameters": []])
        default:
            return StandIn.error("InvalidAction")
        }
    }

    @Test func everyKindIsCollectedResolvedAndItsImagesLookedUp() async throws {
        let standIn = StandIn(Self.answer)
        let sink = RecordingSink()
        try await collect(standIn, needs: [.images, .workloads, .referencedImages, .usage], into: sink)
        let batch = try #require(await sink.batches.first)
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        let seen = batch.workloads.map { "\($0.kind.rawValue) \($0.resourceId) \($0.imageId ?? "-") \($0.via ?? "")" }
        #expect(seen == [
            "instance i-0000000000000000a \(Self.owned) ",
            "instance i-0000000000000000b \(Self.shared) ",
            "instance i-0000000000000000c \(Self.gone) ",
            "launch-template lt-0000000000000000a:3 \(Self.owned) ",
            "auto-scaling-group web \(Self.viaTemplate) launch-template \"lt-0000000000000000a:2\"",
            "auto-scaling-group legacy \(Self.shared) launch-configuration \"legacy-v1\"",
            "auto-scaling-group orphan - launch-configuration \"deleted\"",
            "launch-configuration legacy-v1 \(Self.shared) ",
            "ssm-parameter /golden/web \(Self.shared) ",
        ])
        #expect(batch.referencedImages.map(\.imageId) == [Self.shared, Self.gone, Self.viaTemplate])
        #expect(batch.referencedImages.map { $0.image?.ownerId } == [Self.peer, nil, Self.peer])
        #expect(batch.referencedImages.allSatisfy { $0.accountId == StandIn.account && $0.region == "us-east-1" })
        #expect(batch.images.map(\.instanceCount) == [1] && batch.images.map(\.launchTemplateCount) == [1])
        // One batch of three ids, refused for the one AWS does not know, then asked again without it.
        #expect(standIn.requests.filter { $0.action == "DescribeImages" && $0.parameters["ImageId.1"] != nil }.count == 2)
        #expect(standIn.count("DescribeLaunchTemplateVersions") == 2)
    }

    @Test func withoutWorkloadNeedsNoneOfTheirCallsIsMade() async throws {
        let standIn = StandIn(Self.answer)
        let sink = RecordingSink()
        try await collect(standIn, needs: [.images], into: sink)
        let batch = try #require(await sink.batches.first)
        #expect(batch.workloads.isEmpty && batch.referencedImages.isEmpty)
        #expect(Set(standIn.requests.map(\.action)) == ["GetCallerIdentity", "DescribeRegions", "DescribeImages"])
    }

    @Test func aBatchFailureThatNamesNoIdIsSplitNotLooped() async throws {
        let many = (0..<5).map { String(format: "ami-%017x", 0x100 + $0) }
        let standIn = StandIn(limit: 40) { request in
            switch request.action {
            case "GetCallerIdentity": return StandIn.callerIdentity
            case "DescribeRegions": return StandIn.regions(["us-east-1"])
            case "DescribeImages" where request.parameters["ImageId.1"] == nil: return StandIn.images("")
            case "DescribeImages":
                let asked = request.parameters.filter { $0.key.hasPrefix("ImageId.") }.map(\.value)
                // AWS names the ids; this one says nothing useful when the last id is asked.
                if asked.contains(many[4]) {
                    return HTTPResponse(status: 400, body: Data("<Response><Errors><Error><Code>InvalidAMIID.Unavailable</Code><Message>unavailable</Message></Error></Errors></Response>".utf8))
                }
                return StandIn.images(asked.map { "<item><imageId>\($0)</imageId><imageState>available</imageState><imageOwnerId>\(Self.peer)</imageOwnerId><isPublic>true</isPublic></item>" }.joined())
            case "DescribeInstances":
                return StandIn.xml("<DescribeInstancesResponse><reservationSet><item><instancesSet>" + many.enumerated().map {
                    "<item><instanceId>i-\(String(format: "%017x", $0.offset))</instanceId><imageId>\($0.element)</imageId></item>"
                }.joined() + "</instancesSet></item></reservationSet></DescribeInstancesResponse>")
            default: return StandIn.error("InvalidAction")
            }
        }
        let sink = RecordingSink()
        try await collect(standIn, needs: [.images, .referencedImages], into: sink)
        let batch = try #require(await sink.batches.first)
        #expect(batch.referencedImages.map(\.imageId) == many)
        #expect(batch.referencedImages.map { $0.image != nil } == [true, true, true, true, false])
        #expect(standIn.requests.count < 40)
    }
}
