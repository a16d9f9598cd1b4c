import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Testing

/// Region names and account ids from AWS answers become host names, role ARNs and recording
/// paths: a hostile answer's `evil.example/x?` is a scan error and never a request.
@Suite struct IdentifierValidationTests {
    static let hostile = ["evil.example/x?", "bad region", "us-east-1.evil.example", "US-EAST-1", "us-east-1 "]

    @Test func regionNamesThatAreNoRegionAreScanErrorsNeverRequests() async throws {
        let standIn = StandIn { request in
            switch request.action {
            case "GetCallerIdentity": return StandIn.callerIdentity
            case "DescribeRegions": return StandIn.regions(["us-east-1"] + Self.hostile)
            case "DescribeImages": return StandIn.images("")
            default: return StandIn.error("InvalidAction")
            }
        }
        let sink = RecordingSink()
        try await collect(standIn, regions: nil, into: sink)
        #expect(Set(standIn.requests.map(\.host)) == ["sts.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"])
        #expect(await sink.batches.map(\.region) == ["us-east-1"])
        let errors = await sink.errors
        #expect(errors.allSatisfy { $0.code == "InvalidIdentifier" && $0.region == nil })
        #expect(errors.count == Self.hostile.count)
        #expect(errors.contains { $0.message.contains("\"evil.example/x?\"") })
        #expect(errors.contains { $0.message.contains("\"bad region\"") })
    }

    @Test func accountIdsThatAreNoAccountIdAreScanErrorsNeverAssumed() async throws {
        let standIn = PaginationTests.organization { _ in
            StandIn.json(["Accounts": [["Id": StandIn.account, "Status": "ACTIVE"],
                                       ["Id": "evil.example/x?", "Status": "ACTIVE"],
                                       ["Id": "12345678901", "Status": "ACTIVE"]]])
        }
        let sink = RecordingSink()
        try await collect(standIn, accounts: .organization, into: sink)
        #expect(standIn.count("AssumeRole") == 0)
        #expect(await sink.accounts.map(\.id) == [StandIn.account])
        let errors = await sink.errors
        #expect(errors.map(\.code) == ["InvalidIdentifier", "InvalidIdentifier"])
        #expect(errors.first?.message.contains("\"evil.example/x?\"") == true)
    }

    @Test func aHomeRegionThatIsNoRegionIsNeverAskedFor() async throws {
        let standIn = StandIn { _ in StandIn.callerIdentity }
        let client = AWSClient(transport: standIn, retry: RetryPolicy(maxAttempts: 1))
        let plan = CollectionPlan(accounts: .caller, homeRegion: "evil.example/x?", pacing: nil)
        let credentials = StaticCredentialProvider(Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "s"))
        let error = await #expect(throws: AWSError.self) {
            try await Collector(client: client, credentials: credentials, plan: plan).run(into: RecordingSink())
        }
        #expect(error?.code == "InvalidIdentifier")
        #expect(standIn.requests.isEmpty)
    }

    @Test func aCallerAccountThatIsNoAccountIdFailsTheScan() async throws {
        let standIn = StandIn { _ in
            StandIn.xml("<GetCallerIdentityResponse><GetCallerIdentityResult><Account>evil.example/x?</Account><Arn>a</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>")
        }
        let error = await #expect(throws: AWSError.self) { try await collect(standIn) }
        #expect(error?.code == "MalformedResponse")
        #expect(standIn.requests.allSatisfy { $0.action == "GetCallerIdentity" || $0.action == "DescribeRegions" } )
    }

    @Test func namedRegionsThatAreNoRegionAreNeverAskedFor() async throws {
        let standIn = StandIn { request in
            switch request.action {
            case "GetCallerIdentity": return StandIn.callerIdentity
            case "DescribeRegions": return StandIn.regions(["us-east-1"])
            case "DescribeImages": return StandIn.images("")
            default: return StandIn.error("InvalidAction")
            }
        }
        let sink = RecordingSink()
        try await collect(standIn, regions: ["us-east-1", "evil.example/x?"], into: sink)
        #expect(Set(standIn.requests.map(\.host)) == ["sts.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"])
        let failed = await sink.coverage.filter { $0.status == .failed }
        #expect(failed.map(\.region) == ["evil.example/x?"])
        #expect(await sink.errors.map(\.code) == ["InvalidIdentifier"])
    }
}
