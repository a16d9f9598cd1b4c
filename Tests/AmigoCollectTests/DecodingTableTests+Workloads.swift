import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation

/// Full responses of the workload operations (botocore's shapes), for `DecodingTableTests`.
/// A page whose items did not all decode is `undecodable` (JSON: an error), as DescribeImages.
extension Samples {
    static func page<T>(_ body: () throws -> WorkloadPage<T>) throws -> DecodingTableTests.Outcome {
        do {
            let page = try body()
            return page.problems.isEmpty ? .decoded("\(page.items) \(page.nextToken ?? "-")") : .undecodable
        } catch is DecodeError { return .error }
    }

    static func jsonPage<T>(_ page: WorkloadPage<T>) throws -> String {
        if let problem = page.problems.first { throw problem }
        return "\(page.items) \(page.nextToken ?? "-")"
    }

    static let group = """
    <member><AutoScalingGroupName>web</AutoScalingGroupName><LaunchConfigurationName>web-v3</LaunchConfigurationName>
    <LaunchTemplate><LaunchTemplateId>lt-0000000000000000a</LaunchTemplateId><LaunchTemplateName>web</LaunchTemplateName><Version>$Latest</Version></LaunchTemplate>
    <MixedInstancesPolicy><LaunchTemplate><LaunchTemplateSpecification><LaunchTemplateId>lt-0000000000000000b</LaunchTemplateId><Version>4</Version></LaunchTemplateSpecification>
    <Overrides><member><InstanceType>m7g.large</InstanceType><LaunchTemplateSpecification><LaunchTemplateName>arm</LaunchTemplateName><Version>$Latest</Version></LaunchTemplateSpecification></member></Overrides>
    </LaunchTemplate></MixedInstancesPolicy><MinSize>1</MinSize><CreatedTime>2026-09-11T22:00:00.000Z</CreatedTime>
    <Tags><member><ResourceId>web</ResourceId><Key>team</Key><Value>web</Value><PropagateAtLaunch>true</PropagateAtLaunch></member></Tags></member>
    """

    static let workloadXML: [String: XMLSample] = [
        "DescribeImageAttribute": XMLSample(body: "<DescribeImageAttributeResponse><imageId>ami-1</imageId>\(permissions("launchPermission"))<lastLaunchedTime><value>2026-10-20T08:15:00Z</value></lastLaunchedTime></DescribeImageAttributeResponse>") { root in
            try value { "\(try EC2Decode.launchPermissions(root)) \(try EC2Decode.lastLaunchedTime(root).map { "\($0)" } ?? "-")" }
        },
        "GetAllowedImagesSettings": XMLSample(body: """
            <GetAllowedImagesSettingsResponse><state>enabled</state><imageCriterionSet><item>
            <imageProviderSet><item>amazon</item></imageProviderSet><marketplaceProductCodeSet><item>abc</item></marketplaceProductCodeSet>
            <imageNameSet><item>golden-*</item></imageNameSet>
            <deprecationTimeCondition><maximumDaysSinceDeprecated>0</maximumDaysSinceDeprecated></deprecationTimeCondition>
            <creationDateCondition><maximumDaysSinceCreated>300</maximumDaysSinceCreated></creationDateCondition>
            </item></imageCriterionSet><managedBy>declarative-policy</managedBy></GetAllowedImagesSettingsResponse>
            """) { root in
            try value { try EC2Decode.allowedImagesSettings(root) }
        },
        "DescribeInstances": XMLSample(body: """
            <DescribeInstancesResponse><reservationSet><item><reservationId>r-1</reservationId><instancesSet><item>
            <instanceId>i-0000000000000000a</instanceId><imageId>ami-0000000a</imageId><instanceType>t3.micro</instanceType>
            <instanceState><code>16</code><name>running</name></instanceState><launchTime>2026-09-11T22:00:00.000Z</launchTime>
            <tagSet><item><key>Name</key><value>web-1</value></item></tagSet></item></instancesSet></item></reservationSet>
            <nextToken>t</nextToken></DescribeInstancesResponse>
            """) { root in
            try page { try EC2Decode.instances(root, account: "999999999999", region: "r") }
        },
        "DescribeInstanceImageMetadata": XMLSample(body: """
            <DescribeInstanceImageMetadataResponse><instanceImageMetadataSet><item><instanceId>i-0000000000000000a</instanceId>
            <instanceType>t3.micro</instanceType><launchTime>2026-09-11T22:00:00.000Z</launchTime>
            <imageMetadata><imageId>ami-0000000a</imageId><name>golden</name><imageOwnerId>222222222222</imageOwnerId>
            <imageState>available</imageState><imageOwnerAlias>self</imageOwnerAlias><creationDate>2026-01-01T00:00:00.000Z</creationDate>
            <deprecationTime>2028-01-01T00:00:00.000Z</deprecationTime><imageAllowed>true</imageAllowed><isPublic>false</isPublic>
            </imageMetadata></item></instanceImageMetadataSet><nextToken>t</nextToken></DescribeInstanceImageMetadataResponse>
            """) { root in
            try page { try EC2Decode.instanceImageMetadata(root) }
        },
        "DescribeLaunchTemplateVersions": XMLSample(body: """
            <DescribeLaunchTemplateVersionsResponse><launchTemplateVersionSet><item>
            <launchTemplateId>lt-0000000000000000a</launchTemplateId><launchTemplateName>web</launchTemplateName>
            <versionNumber>3</versionNumber><defaultVersion>true</defaultVersion><createTime>2026-09-11T22:00:00.000Z</createTime>
            <launchTemplateData><imageId>ami-0000000a</imageId><instanceType>t3.micro</instanceType></launchTemplateData>
            </item></launchTemplateVersionSet><nextToken>t</nextToken></DescribeLaunchTemplateVersionsResponse>
            """) { root in
            try page { try EC2Decode.launchTemplateVersions(root) }
        },
        "DescribeAutoScalingGroups": XMLSample(body: "<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups>\(group)</AutoScalingGroups><NextToken>t</NextToken></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>") { root in
            try page { try AutoScalingDecode.groups(root) }
        },
        "DescribeLaunchConfigurations": XMLSample(body: """
            <DescribeLaunchConfigurationsResponse><DescribeLaunchConfigurationsResult><LaunchConfigurations><member>
            <LaunchConfigurationName>web-v3</LaunchConfigurationName><ImageId>ami-0000000a</ImageId><InstanceType>t3.micro</InstanceType>
            <CreatedTime>2026-09-11T22:00:00.000Z</CreatedTime></member></LaunchConfigurations><NextToken>t</NextToken>
            </DescribeLaunchConfigurationsResult></DescribeLaunchConfigurationsResponse>
            """) { root in
            try page { try AutoScalingDecode.launchConfigurations(root, account: "999999999999", region: "r") }
        },
    ]

    static let workloadJSON: [String: JSONSample] = [
        "DescribeParameters": JSONSample(object: ["Parameters": [["Name": "/golden/web", "Type": "String", "DataType": "aws:ec2:image",
                                                                  "LastModifiedDate": 1_789_164_000.0, "Version": 3]],
                                                  "NextToken": "t"]) {
            try jsonPage(try SSMDecode.imageParameterNames($0))
        },
        "GetParameters": JSONSample(object: ["Parameters": [["Name": "/golden/web", "Type": "String", "Value": "ami-0000000a",
                                                             "DataType": "aws:ec2:image", "LastModifiedDate": 1_789_164_000.0,
                                                             "Version": 3, "ARN": "arn:aws:ssm:r:999999999999:parameter/golden/web"]],
                                             "InvalidParameters": []]) {
            try jsonPage(try SSMDecode.imageParameters($0, account: "999999999999", region: "r"))
        },
    ]
}
