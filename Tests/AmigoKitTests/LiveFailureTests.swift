import AmigoCatalog
import AmigoCore
import AmigoTestSupport
import Foundation
import Testing

/// What happens when AWS says no, throttles, fails or cuts a body short: nothing collected is
/// lost, nothing unread looks compliant, and the exit code says so.
@Suite(.serialized) struct LiveFailureTests {
    static let regions = ["us-east-1", "eu-west-1"]

    func scan(_ endpoint: URL, _ dir: URL, extra: [String] = []) async throws -> (status: Int32, stdout: String, stderr: String, catalog: Catalog) {
        let path = dir.appendingPathComponent("amigo.sqlite").path
        let result = try await amigo(["scan", "--org", "--regions", Self.regions.joined(separator: ","), "--quiet",
                                      "--output", dir.path, "--catalog", path,
                                      "--format", "json,junit,html,sarif"] + extra,
                                     environment: MotoOrganization.environment(endpoint))
        return (result.status, result.stdout, result.stderr, try Catalog(path: path))
    }

    func findingKeys(_ catalog: Catalog) throws -> Set<String> {
        let scan = try #require(try catalog.latestScanID(completeOnly: false))
        return Set(try catalog.latestFindings(scan: scan).map { "\($0.policyId) \($0.accountId)/\($0.region)/\($0.resourceId)" })
    }

    func imageKeys(_ catalog: Catalog) throws -> Set<String> {
        let scan = try #require(try catalog.latestScanID(completeOnly: false))
        return Set(try catalog.inventory(scan: scan).images.map {
            "\($0.accountId)/\($0.region)/\($0.imageId) \($0.tags.map { "\($0.key)=\($0.value)" }.sorted()) \(($0.launchPermissions ?? []).map(\.value).sorted())"
        })
    }

    @Test func deniedAssumeRoleFailsThatAccountOnlyAndExitsThree() async throws {
        let (moto, seeded) = try await offPool { try MotoOrganization.start(regions: Self.regions) }
        defer { moto.stop() }
        let denied = seeded.members[0]
        let proxy = try FaultProxy.start(upstream: moto.endpoint, rate: 0, denyAssumeRoleInto: [denied])
        defer { proxy.stop() }
        let dir = try temporaryDirectory("denied")
        let result = try await scan(proxy.endpoint, dir)
        #expect(result.status == 3, "\(result.stderr)")

        let scanID = try #require(try result.catalog.latestScanID(completeOnly: false))
        let inventory = try result.catalog.inventory(scan: scanID)
        let error = try #require(inventory.errors.first { $0.accountId == denied })
        #expect(error.operation == "sts:AssumeRole")
        #expect(error.code == "AccessDenied")
        #expect(inventory.coverage.contains { $0.accountId == denied && $0.status == .failed })
        // The other accounts were scanned in full.
        for account in seeded.accounts where account != denied {
            #expect(inventory.images.contains { $0.accountId == account })
        }
        #expect(!inventory.images.contains { $0.accountId == denied })
        #expect(try result.catalog.scanInfo(scanID)?.status == .partial)

        // Every report carries the scan error.
        let json = try String(contentsOf: dir.appendingPathComponent("findings.json"), encoding: .utf8)
        #expect(json.contains("AccessDenied") && json.contains(denied))
        let junit = try String(contentsOf: dir.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains("<error") && junit.contains("AccessDenied"))
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("AccessDenied") && html.contains("Scan incomplete"))
        let sarif = try String(contentsOf: dir.appendingPathComponent("findings.sarif"), encoding: .utf8)
        #expect(sarif.contains("AccessDenied"))

        // --allow-partial turns the gate back to the findings.
        let allowed = try await scan(proxy.endpoint, try temporaryDirectory("denied-allowed"), extra: ["--allow-partial"])
        #expect(allowed.status == 1)
    }

    @Test func twentyPercentFaultsLoseNothing() async throws {
        let (moto, _) = try await offPool { try MotoOrganization.start(regions: Self.regions) }
        defer { moto.stop() }
        let clean = try await scan(moto.endpoint, try temporaryDirectory("clean"))
        #expect(clean.status == 1, "\(clean.stderr)")

        let proxy = try FaultProxy.start(upstream: moto.endpoint, rate: 0.2)
        defer { proxy.stop() }
        let faulty = try await scan(proxy.endpoint, try temporaryDirectory("faulty"), extra: ["--log-level", "error"])
        #expect(faulty.status == 1, "\(faulty.stderr)")
        let scanID = try #require(try faulty.catalog.latestScanID(completeOnly: true), "the faulty scan is incomplete")
        #expect(try faulty.catalog.inventory(scan: scanID).errors.isEmpty)
        #expect(try imageKeys(faulty.catalog) == imageKeys(clean.catalog))
        #expect(try findingKeys(faulty.catalog) == findingKeys(clean.catalog))
    }

    @Test func recordedScanReplaysToTheSameFindings() async throws {
        let (moto, _) = try await offPool { try MotoOrganization.start(regions: Self.regions) }
        defer { moto.stop() }
        let recording = try temporaryDirectory("recording")
        let live = try await scan(moto.endpoint, try temporaryDirectory("live"), extra: ["--record", recording.path])
        #expect(live.status == 1, "\(live.stderr)")
        moto.stop()

        let replayDir = try temporaryDirectory("replayed")
        let replayed = try await amigo(["scan", "--fixtures", recording.path, "--org",
                                        "--regions", Self.regions.joined(separator: ","), "--quiet", "--output", replayDir.path,
                                        "--catalog", replayDir.appendingPathComponent("amigo.sqlite").path])
        #expect(replayed.status == 1, "\(replayed.stderr)")
        let catalog = try Catalog(path: replayDir.appendingPathComponent("amigo.sqlite").path)
        #expect(try findingKeys(catalog) == findingKeys(live.catalog))
    }
}
