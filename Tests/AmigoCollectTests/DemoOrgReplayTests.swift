import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Testing

@Suite struct DemoOrgReplayTests {
    /// Splits a FixtureKey back into the call that produced it, sends that call through the
    /// client, and decodes the answer with the decoder the collector would use.
    @Test func everyExchangeReplaysThroughTheClientAndDecodes() async throws {
        let demo = try DemoOrg()
        var decoded: [String: Int] = [:]
        for exchange in demo.index.exchanges {
            let head = exchange.key.split(separator: " ", maxSplits: 3).map(String.init)
            try #require(head.count == 4, "malformed key \(exchange.key)")
            let (service, region, key, request) = (head[0], head[1], head[2], head[3])
            if service == "organizations" {
                let parts = request.components(separatedBy: "&body=")
                let action = String(parts[0].split(separator: ".").last ?? "")
                let body = try JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as? [String: String] ?? [:]
                let object = try await demo.organizations(action, body)
                switch action {
                case "ListAccounts": _ = try OrganizationsDecode.accounts(object)
                case "DescribeOrganization": _ = try OrganizationsDecode.organization(object)
                default: Issue.record("no decoder for \(action)")
                }
                decoded[action, default: 0] += 1
                continue
            }
            if service == "ssm" {
                let parts = request.components(separatedBy: "&body=")
                let action = String(parts[0].split(separator: ".").last ?? "")
                let body = try #require(try JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as? [String: Any])
                let object = try await demo.client.json(try #require(AWSAction(.ssm, action)), region: region,
                                                        body: body.mapValues { JSONBody($0) }, credentials: DemoOrg.credentials(key))
                switch action {
                case "DescribeParameters": #expect(try SSMDecode.imageParameterNames(object).problems.isEmpty)
                case "GetParameters":
                    #expect(try SSMDecode.imageParameters(object, account: DemoOrg.account(ofKey: key), region: region).problems.isEmpty)
                default: Issue.record("no decoder for \(action)")
                }
                decoded[action, default: 0] += 1
                continue
            }
            let pairs = request.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
            let action = try #require(pairs.first { $0[0] == "Action" }?[1])
            let parameters = pairs.filter { $0[0] != "Action" }.map { ($0[0], $0.count > 1 ? $0[1] : "") }
            let known = try #require(Service(rawValue: service))
            let call = try #require(AWSAction(known, action))
            let root = try await demo.client.query(call, region: region,
                                                   parameters: parameters, credentials: DemoOrg.credentials(key))
            let account = DemoOrg.account(ofKey: key)
            switch action {
            case "GetCallerIdentity": _ = try STSDecode.callerIdentity(root)
            case "AssumeRole": #expect(root.at("AssumeRoleResult", "Credentials", "AccessKeyId") != nil)
            case "DescribeRegions": _ = try EC2Decode.regions(root)
            case "DescribeImages": _ = try EC2Decode.images(root, account: account, region: region)
            case "DescribeImageAttribute": _ = try EC2Decode.launchPermissions(root)
            case "DescribeSnapshots": _ = try EC2Decode.snapshots(root, account: account, region: region)
            case "DescribeSnapshotAttribute": _ = try EC2Decode.createVolumePermissions(root)
            case "GetEbsEncryptionByDefault": _ = try EC2Decode.ebsEncryptionByDefault(root)
            case "GetImageBlockPublicAccessState": _ = try EC2Decode.imageBlockPublicAccessState(root)
            case "GetSnapshotBlockPublicAccessState": _ = try EC2Decode.snapshotBlockPublicAccessState(root)
            case "GetAllowedImagesSettings": _ = try EC2Decode.allowedImagesSettings(root)
            case "DescribeInstances":
                #expect(try EC2Decode.instances(root, account: account, region: region).problems.isEmpty)
            case "DescribeLaunchTemplateVersions": #expect(try EC2Decode.launchTemplateVersions(root).problems.isEmpty)
            case "DescribeInstanceImageMetadata": #expect(try EC2Decode.instanceImageMetadata(root).problems.isEmpty)
            case "DescribeAutoScalingGroups": #expect(try AutoScalingDecode.groups(root).problems.isEmpty)
            case "DescribeLaunchConfigurations":
                #expect(try AutoScalingDecode.launchConfigurations(root, account: account, region: region).problems.isEmpty)
            default: Issue.record("no decoder for \(action)")
            }
            decoded[action, default: 0] += 1
        }
        #expect(decoded.values.reduce(0, +) == demo.index.exchanges.count)
        #expect(decoded["ListAccounts"] == 2 && decoded["AssumeRole"] == 2 && decoded["DescribeRegions"] == 3)
        #expect(decoded["GetAllowedImagesSettings"] == 9 && decoded["DescribeInstances"] == 9)
        #expect(decoded["DescribeLaunchTemplateVersions"] == 9 && decoded["DescribeInstanceImageMetadata"] == 9)
        #expect(decoded["DescribeAutoScalingGroups"] == 9 && decoded["DescribeParameters"] == 9 && decoded["GetParameters"] == 1)
    }

    /// Walks the organisation the way a full collection does, from the caller identity down
    /// to snapshot permissions; any request without a recorded answer throws.
    @Test func fullCollectionReplays() async throws {
        let demo = try DemoOrg()
        let me = try STSDecode.callerIdentity(try await demo.client.query(
            AWSAction(.sts, "GetCallerIdentity")!, region: "us-east-1", credentials: DemoOrg.credentials(DemoOrg.managementKey)))
        let org = try OrganizationsDecode.organization(try await demo.organizations("DescribeOrganization"))
        #expect(org.managementAccountId == me.account && org.arn == BaselineMirror.orgArn)
        var accounts: [Account] = []
        var token: String?
        repeat {
            let page = try OrganizationsDecode.accounts(try await demo.organizations("ListAccounts", token.map { ["NextToken": $0] } ?? [:]))
            accounts += page.accounts
            token = page.nextToken
        } while token != nil
        #expect(accounts.map(\.name) == ["org-management", "workloads-prod", "workloads-dev", "sandbox"])
        var keys: [String: String] = [me.account: DemoOrg.managementKey]
        for account in accounts where account.status == "ACTIVE" && account.id != me.account {
            let credentials = try await assumedCredentials("", client: demo.client, account: account.id,
                                                           source: DemoOrg.credentials(DemoOrg.managementKey))
            #expect(credentials.accessKeyId == "ASIADEMO\(account.id)" && credentials.sessionToken != nil)
            keys[account.id] = credentials.accessKeyId
        }
        var all: [Image] = []
        var multiPage = 0
        for (account, key) in keys.sorted(by: { $0.key < $1.key }) {
            let regions = try EC2Decode.regions(try await demo.ec2("us-east-1", key, "DescribeRegions", [("AllRegions", "true")]))
            #expect(regions.filter(\.isEnabled).map(\.name).sorted() == ["ap-southeast-2", "eu-west-1", "us-east-1"])
            for region in regions.filter(\.isEnabled).map(\.name) {
                var (images, pages) = try await demo.images(account: account, region: region, key: key)
                multiPage += pages > 1 ? 1 : 0
                let snapshots = try EC2Decode.snapshots(try await demo.ec2(region, key, "DescribeSnapshots",
                    [("OwnerId.1", "self"), ("MaxResults", "1000")]), account: account, region: region).snapshots
                for i in images.indices {
                    images[i].launchPermissions = try EC2Decode.launchPermissions(try await demo.ec2(region, key,
                        "DescribeImageAttribute", [("ImageId", images[i].imageId), ("Attribute", "launchPermission")]))
                    for device in images[i].blockDevices where device.isEBS {
                        let snapshot = try #require(snapshots.first { $0.snapshotId == device.snapshotId })
                        #expect(snapshot.encrypted == device.encrypted)
                        _ = try EC2Decode.createVolumePermissions(try await demo.ec2(region, key, "DescribeSnapshotAttribute",
                            [("SnapshotId", snapshot.snapshotId), ("Attribute", "createVolumePermission")]))
                    }
                }
                for action in ["GetEbsEncryptionByDefault", "GetImageBlockPublicAccessState",
                               "GetSnapshotBlockPublicAccessState", "GetAllowedImagesSettings"] {
                    _ = try await demo.ec2(region, key, action)
                }
                let instances = try EC2Decode.instances(try await demo.ec2(region, key, "DescribeInstances", [("MaxResults", "1000")]),
                                                        account: DemoOrg.account(ofKey: key), region: region)
                #expect(instances.problems.isEmpty)
                all += images
            }
        }
        #expect(multiPage >= 1, "some region must answer DescribeImages in two pages")
        #expect(all.count >= 60)

        let expected = try DemoOrg.expected()
        let byId = Dictionary(uniqueKeysWithValues: expected.images.map { ($0.imageId, $0) })
        #expect(Set(byId.keys) == Set(all.map(\.imageId)), "expected.json lists exactly the replayed images")
        for image in all {
            let entry = try #require(byId[image.imageId])
            #expect(entry.account == image.accountId && entry.region == image.region && entry.name == image.name)
            #expect(BaselineMirror.violations(image) == entry.violations, "\(image.imageId) \(image.name ?? "")")
        }
    }
}

/// A JSON request value as `AWSClient.json` takes it (the recorded body, read back).
private func JSONBody(_ value: Any) -> any Sendable {
    switch value {
    case let list as [Any]: list.map(JSONBody)
    case let object as [String: Any]: object.mapValues(JSONBody)
    case let number as NSNumber where !(value is String): number.intValue
    default: "\(value)"
    }
}
