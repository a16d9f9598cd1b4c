import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Synchronization
import Testing

/// Every listing stops on a NextToken it already sent, or past the page limit, with a scan error
/// and what it had already read. The stand-in refuses requests past its limit, so a loop that
/// never ends fails these tests rather than hanging them.
@Suite struct PaginationTests {
    /// Answers the first page of `action` with `first` and every later one with `again` (which
    /// points at itself); everything else the collection needs is empty and final.
    static func standIn(looping action: String, first: @escaping @Sendable () -> HTTPResponse,
                        again: @escaping @Sendable () -> HTTPResponse) -> StandIn {
        StandIn { request in
            switch request.action {
            case "GetCallerIdentity": return StandIn.callerIdentity
            case "DescribeRegions": return StandIn.regions(["us-east-1"])
            case action: return request.parameters["NextToken"] == nil ? first() : again()
            case "DescribeImages": return StandIn.images(StandIn.image("ami-0000000000000000a"))
            case "DescribeSnapshots": return StandIn.xml("<DescribeSnapshotsResponse><snapshotSet/></DescribeSnapshotsResponse>")
            case "DescribeInstances": return StandIn.xml("<DescribeInstancesResponse><reservationSet/></DescribeInstancesResponse>")
            case "DescribeLaunchTemplateVersions":
                return StandIn.xml("<DescribeLaunchTemplateVersionsResponse><launchTemplateVersionSet/></DescribeLaunchTemplateVersionsResponse>")
            default: return StandIn.error("InvalidAction")
            }
        }
    }

    @Test func imagesStopOnARepeatedTokenAndKeepWhatTheyRead() async throws {
        let standIn = Self.standIn(looping: "DescribeImages",
                                   first: { StandIn.images(StandIn.image("ami-0000000000000000a"), next: "t1") },
                                   again: { StandIn.images(StandIn.image("ami-0000000000000000b"), next: "t1") })
        let sink = RecordingSink()
        try await collect(standIn, into: sink)
        #expect(standIn.count("DescribeImages") == 2)
        let batch = try #require(await sink.batches.first)
        #expect(batch.images.map(\.imageId) == ["ami-0000000000000000a", "ami-0000000000000000b"])
        #expect(batch.coverage.status == .partial)
        #expect(batch.errors.map(\.code) == ["RepeatedNextToken"])
        #expect(batch.errors.first?.operation == "ec2:DescribeImages")
    }

    /// The same page again must not list its images twice: the catalogue refuses a region that does.
    @Test func aRepeatedPageListsEachImageOnce() async throws {
        let page = StandIn.images(StandIn.image("ami-0000000000000000a") + StandIn.image("ami-0000000000000000b"), next: "t1")
        let standIn = Self.standIn(looping: "DescribeImages", first: { page }, again: { page })
        let sink = RecordingSink()
        try await collect(standIn, into: sink)
        let batch = try #require(await sink.batches.first)
        #expect(batch.images.map(\.imageId) == ["ami-0000000000000000a", "ami-0000000000000000b"])
    }

    @Test func imagesStopPastThePageLimit() async throws {
        let counter = Counter()
        let standIn = Self.standIn(looping: "DescribeImages",
                                   first: { StandIn.images("", next: "t0") },
                                   again: { StandIn.images("", next: "t\(counter.next())") })
        let sink = RecordingSink()
        try await collect(standIn, pageLimit: 5, into: sink)
        #expect(standIn.count("DescribeImages") == 5)
        #expect(await sink.batches.first?.errors.map(\.code) == ["PageLimitExceeded"])
    }

    @Test(arguments: [
        ("DescribeSnapshots", DataNeed.snapshots, "<DescribeSnapshotsResponse><snapshotSet/><nextToken>s1</nextToken></DescribeSnapshotsResponse>"),
        ("DescribeInstances", DataNeed.usage, "<DescribeInstancesResponse><reservationSet/><nextToken>i1</nextToken></DescribeInstancesResponse>"),
        ("DescribeLaunchTemplateVersions", DataNeed.usage,
         "<DescribeLaunchTemplateVersionsResponse><launchTemplateVersionSet/><nextToken>l1</nextToken></DescribeLaunchTemplateVersionsResponse>"),
    ])
    func everyRegionListingStopsOnARepeatedToken(action: String, need: DataNeed, body: String) async throws {
        let standIn = Self.standIn(looping: action, first: { StandIn.xml(body) }, again: { StandIn.xml(body) })
        let sink = RecordingSink()
        try await collect(standIn, needs: [.images, need], into: sink)
        #expect(standIn.count(action) == 2)
        let batch = try #require(await sink.batches.first)
        #expect(batch.images.count == 1, "the images are kept")
        #expect(batch.coverage.status == .partial)
        #expect(batch.errors.contains { $0.operation == "ec2:\(action)" && $0.code == "RepeatedNextToken" })
        if need == .usage {
            #expect(batch.images.first?.instanceCount == nil || batch.images.first?.launchTemplateCount == nil,
                    "a count from a listing cut short is unknown, not 0")
        }
    }

    static func organization(accounts: @escaping @Sendable (String?) -> HTTPResponse) -> StandIn {
        StandIn { organizationAnswer($0, accounts: accounts) }
    }

    static func organizationAnswer(_ request: StandIn.Request, accounts: (String?) -> HTTPResponse) -> HTTPResponse {
            switch request.action {
            case "GetCallerIdentity": return StandIn.callerIdentity
            case "DescribeOrganization":
                return StandIn.json(["Organization": ["Id": "o-1", "Arn": "arn:aws:organizations::\(StandIn.account):organization/o-1",
                                                      "MasterAccountId": StandIn.account]])
            case "ListAccounts": return accounts(request.parameters["NextToken"])
            case "DescribeRegions": return StandIn.regions(["us-east-1"])
            case "DescribeImages": return StandIn.images("")
            default: return StandIn.error("InvalidAction")
            }
    }

    @Test func listAccountsStopsOnARepeatedTokenAndScansTheAccountsItRead() async throws {
        let standIn = Self.organization { _ in
            StandIn.json(["Accounts": [["Id": StandIn.account, "Status": "ACTIVE"]], "NextToken": "a1"])
        }
        let sink = RecordingSink()
        try await collect(standIn, accounts: .organization, into: sink)
        #expect(standIn.count("ListAccounts") == 2)
        #expect(await sink.errors.map(\.code) == ["RepeatedNextToken"])
        #expect(await sink.errors.first?.operation == "organizations:ListAccounts")
        #expect(await sink.batches.map(\.accountId) == [StandIn.account])
    }

    @Test func listAccountsForParentStopsOnARepeatedToken() async throws {
        let standIn = StandIn { request in
            switch request.action {
            case "ListAccountsForParent":
                return StandIn.json(["Accounts": [["Id": StandIn.account]], "NextToken": "p1"])
            case "ListOrganizationalUnitsForParent": return StandIn.json(["OrganizationalUnits": []])
            default:
                return Self.organizationAnswer(request) { _ in StandIn.json(["Accounts": [["Id": StandIn.account, "Status": "ACTIVE"]]]) }
            }
        }
        let sink = RecordingSink()
        let client = AWSClient(transport: standIn, retry: RetryPolicy(maxAttempts: 1))
        let plan = CollectionPlan(accounts: .organization, organizationalUnits: ["ou-1"], regions: ["us-east-1"],
                                  needs: [.images], pacing: nil)
        let credentials = StaticCredentialProvider(Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "s"))
        try await Collector(client: client, credentials: credentials, plan: plan).run(into: sink)
        #expect(standIn.count("ListAccountsForParent") == 2)
        #expect(await sink.errors.map(\.operation) == ["organizations:ListAccountsForParent"])
        #expect(await sink.batches.map(\.accountId) == [StandIn.account])
    }
}

/// A thread-safe counter for answers that must differ each time.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
