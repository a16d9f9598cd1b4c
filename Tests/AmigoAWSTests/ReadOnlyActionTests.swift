@testable import AmigoAWS
import Foundation
import Synchronization
import Testing

/// Issue 8, item 9: read-only is enforced by the client, not by convention.
@Suite struct ReadOnlyActionTests {
    @Test(arguments: [(Service.ec2, "RunInstances"), (.ec2, "ModifyImageAttribute"), (.ec2, "CreateTags"),
                      (.ec2, "DeregisterImage"), (.ec2, "Describe"), (.ec2, "Describeimages"),
                      (.ec2, "DescribeImages&Action=RunInstances"), (.ec2, "DescribeImages\r\nX-Evil: 1"),
                      (.organizations, "CreateAccount"), (.organizations, "LeaveOrganization"),
                      (.organizations, "GetSomething"), (.sts, "GetSessionToken"), (.sts, "AssumeRoot"),
                      (.sts, "DecodeAuthorizationMessage"), (.autoscaling, "UpdateAutoScalingGroup"),
                      (.autoscaling, "SetDesiredCapacity"), (.ssm, "GetParameter"), (.ssm, "GetParametersByPath"),
                      (.ssm, "GetParameterHistory"), (.ssm, "PutParameter"), (.ssm, "SendCommand"),
                      (.ssm, "DescribeParametersX")])
    func aWriteActionCannotBeNamed(service: Service, name: String) {
        #expect(AWSAction(service, name) == nil, "\(service):\(name) is not read-only")
    }

    @Test(arguments: [(Service.ec2, "DescribeImages"), (.ec2, "GetEbsEncryptionByDefault"),
                      (.organizations, "ListAccounts"), (.organizations, "DescribeOrganization"),
                      (.sts, "AssumeRole"), (.sts, "AssumeRoleWithWebIdentity"), (.sts, "GetCallerIdentity"),
                      (.autoscaling, "DescribeAutoScalingGroups"), (.autoscaling, "DescribeLaunchConfigurations"),
                      (.ssm, "DescribeParameters"), (.ssm, "GetParameters")])
    func readActionsCanBeNamed(service: Service, name: String) throws {
        let action = try #require(AWSAction(service, name))
        #expect(action.iamName == "\(service.rawValue):\(name)")
    }

    final class Counting: Transport {
        let sent = Atomic<Int>(0)
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            sent.add(1, ordering: .relaxed)
            return HTTPResponse(status: 200, body: Data("<Ok/>".utf8))
        }
    }

    /// A parameter named `Action` would add a second action to the form, which the service
    /// may honour: the client refuses before anything is sent.
    @Test(arguments: ["Action", "action", "Version"])
    func aSmuggledActionParameterIsRefusedBeforeSending(_ name: String) async throws {
        let transport = Counting()
        let client = AWSClient(transport: transport, endpoints: Endpoints(override: URL(string: "http://127.0.0.1:9")!))
        let describe = try #require(AWSAction(.ec2, "DescribeImages"))
        await #expect(throws: AWSError.self) {
            _ = try await client.query(describe, region: "us-east-1", parameters: [(name, "RunInstances")],
                                       credentials: StaticCredentialProvider(Credentials(accessKeyId: "AKID", secretAccessKey: "s")))
        }
        #expect(transport.sent.load(ordering: .relaxed) == 0)
    }
}
