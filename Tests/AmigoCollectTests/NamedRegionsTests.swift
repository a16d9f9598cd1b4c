import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Testing

/// With `--regions`, DescribeRegions and the regions' collections start together; the
/// listing still decides what each named region's coverage is.
@Suite struct NamedRegionsTests {
    /// One account, two offered regions (one not opted in), no images; a region nobody
    /// offers cannot even be connected to.
    struct FakeEC2: Transport {
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            let form = String(decoding: request.body, as: UTF8.self)
            let host = request.url.host ?? ""
            if host.contains("xx-nowhere-1") {
                throw TransportError(kind: .connect, url: request.url.absoluteString, detail: "no such host")
            }
            if form.contains("Action=GetCallerIdentity") {
                return ok("<GetCallerIdentityResponse><GetCallerIdentityResult><Account>111122223333</Account><Arn>arn:aws:iam::111122223333:user/a</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>")
            }
            if form.contains("Action=DescribeRegions") {
                return ok("<DescribeRegionsResponse><regionInfo><item><regionName>us-east-1</regionName><optInStatus>opt-in-not-required</optInStatus></item><item><regionName>af-south-1</regionName><optInStatus>not-opted-in</optInStatus></item></regionInfo></DescribeRegionsResponse>")
            }
            if host.contains("af-south-1") {
                return HTTPResponse(status: 401, body: Data("<Response><Errors><Error><Code>AuthFailure</Code><Message>no</Message></Error></Errors></Response>".utf8))
            }
            if form.contains("Action=DescribeImages") {
                return ok("<DescribeImagesResponse><imagesSet/></DescribeImagesResponse>")
            }
            return HTTPResponse(status: 400, body: Data("<Response><Errors><Error><Code>InvalidAction</Code><Message>\(form)</Message></Error></Errors></Response>".utf8))
        }

        func ok(_ xml: String) -> HTTPResponse { HTTPResponse(status: 200, body: Data(xml.utf8)) }
    }

    actor Recorder: InventorySink {
        var coverage: [String: RegionCoverage] = [:]
        var errors: [ScanError] = []
        func organization(_ organization: Organization?, accounts: [Account]) async throws {}
        func region(_ result: RegionBatch) async throws {
            coverage[result.region] = result.coverage
            errors += result.errors
        }
        func coverage(_ coverage: RegionCoverage, errors: [ScanError]) async throws {
            self.coverage[coverage.region] = coverage
            self.errors += errors
        }
        func errors(_ errors: [ScanError]) async throws { self.errors += errors }
    }

    @Test func namedRegionsAreKeptSkippedOrFailedByTheListing() async throws {
        let client = AWSClient(transport: FakeEC2(), retry: RetryPolicy(maxAttempts: 1))
        let plan = CollectionPlan(accounts: .caller, regions: ["us-east-1", "af-south-1", "xx-nowhere-1"],
                                  needs: [.images, .launchPermissions])
        let credentials = StaticCredentialProvider(Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "s"))
        let sink = Recorder()
        try await Collector(client: client, credentials: credentials, plan: plan).run(into: sink)

        let coverage = await sink.coverage
        #expect(coverage["us-east-1"]?.status == .scanned)
        #expect(coverage["af-south-1"]?.status == .skipped)
        #expect(coverage["xx-nowhere-1"]?.status == .failed)
        let errors = await sink.errors
        #expect(errors.map(\.code) == ["UnknownRegion"])
        #expect(errors.first?.region == "xx-nowhere-1")
    }

    /// A sink that cannot write (a full disk, a locked catalogue) must not pass for a region
    /// with nothing in it.
    actor RefusingSink: InventorySink {
        func organization(_ organization: Organization?, accounts: [Account]) async throws {}
        func region(_ batch: RegionBatch) async throws { throw CocoaError(.fileWriteOutOfSpace) }
        func coverage(_ coverage: RegionCoverage, errors: [ScanError]) async throws {}
        func errors(_ errors: [ScanError]) async throws {}
    }

    @Test func aRegionTheSinkRefusesFailsTheRun() async throws {
        let client = AWSClient(transport: FakeEC2(), retry: RetryPolicy(maxAttempts: 1))
        let plan = CollectionPlan(accounts: .caller, regions: ["us-east-1"], needs: [.images])
        let credentials = StaticCredentialProvider(Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "s"))
        let error = await #expect(throws: AWSError.self) {
            try await Collector(client: client, credentials: credentials, plan: plan).run(into: RefusingSink())
        }
        #expect(error?.code == "CatalogError")
        #expect(error?.message.contains("111122223333/us-east-1") == true)
    }
}
