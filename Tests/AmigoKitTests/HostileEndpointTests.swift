import AmigoCatalog
import AmigoTestSupport
import Foundation
import Testing

/// Endpoints that never answer, refuse, or answer with text meant to fool whoever reads the
/// terminal (issue 8, items 1, 7 and 11). Every run is killed after a bound, so a hang fails
/// its test rather than the suite.
@Suite(.serialized) struct HostileEndpointTests {
    @Test func aDeadOrganizationsEndpointEndsTheScanWithAClearError() async throws {
        let (moto, _) = try await offPool { try MotoOrganization.start(members: 1, regions: ["us-east-1"], imagesPerRegion: 1) }
        defer { moto.stop() }
        let dir = try temporaryDirectory("dead-org")
        var environment = MotoOrganization.environment(moto.endpoint)
        environment["AWS_ENDPOINT_URL_ORGANIZATIONS"] = "http://127.0.0.1:1"
        let started = Date()
        let result = try await amigo(["scan", "--org", "--regions", "us-east-1", "--quiet", "--output", dir.path,
                                      "--catalog", dir.appendingPathComponent("amigo.sqlite").path],
                                     environment: environment, killAfter: 90)
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 3, "status \(result.status) after \(Int(seconds)) s: \(result.stderr)")
        #expect(result.stderr.contains("organizations:") && result.stderr.contains("ConnectionError"), "\(result.stderr)")
        let catalog = try Catalog(path: dir.appendingPathComponent("amigo.sqlite").path)
        let scan = try #require(try catalog.latestScanID(completeOnly: false))
        #expect(try catalog.scanInfo(scan)?.status == .partial)
    }

    @Test func aSilentEC2EndpointFailsWithinTheTimeouts() async throws {
        let (moto, _) = try await offPool { try MotoOrganization.start(members: 1, regions: ["us-east-1"], imagesPerRegion: 1) }
        defer { moto.stop() }
        let silent = try SilentServer.start()
        defer { silent.stop() }
        let dir = try temporaryDirectory("silent")
        var environment = MotoOrganization.environment(moto.endpoint)
        environment["AWS_ENDPOINT_URL_EC2"] = silent.url.absoluteString
        let started = Date()
        let result = try await amigo(["collect", "--regions", "us-east-1", "--quiet",
                                      "--timeout", "1", "--connect-timeout", "1", "--deadline", "3",
                                      "--catalog", dir.appendingPathComponent("amigo.sqlite").path],
                                     environment: environment, killAfter: 60)
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 3, "status \(result.status) after \(Int(seconds)) s: \(result.stderr)")
        // DescribeRegions and DescribeImages each give up at their 3 s deadline; a generous
        // bound for a loaded machine, far below curl's and the old retry loop's minutes.
        #expect(seconds < 30, "took \(seconds) s")
        let catalog = try Catalog(path: dir.appendingPathComponent("amigo.sqlite").path)
        let scan = try #require(try catalog.latestScanID(completeOnly: false))
        let errors = try catalog.inventory(scan: scan).errors
        #expect(errors.contains { $0.code == "Timeout" }, "\(errors)")
    }

    @Test func timeoutOptionsRejectWhatIsNotADuration() async throws {
        for bad in ["0", "-1", "soon", "nan", "inf"] {
            let result = try await amigo(["collect", "--timeout", bad], killAfter: 30)
            #expect(result.status == 2, "--timeout \(bad): \(result.stderr)")
            #expect(result.stderr.contains("--timeout"), "\(result.stderr)")
        }
    }

    /// What an attacker who controls an error message would send: set the window title, clear
    /// the screen, print a green all-clear, and start a line of their own.
    static let hostileMessage = #"\u001b]0;title\u0007\u001b[2J\u001b[32mscan complete, 0 findings\nFORGED all clear \u202e\u009b31m"#

    @Test func anAWSErrorMessageReachesStderrNeutralised() async throws {
        let (moto, _) = try await offPool { try MotoOrganization.start(members: 1, regions: ["us-east-1"], imagesPerRegion: 1) }
        defer { moto.stop() }
        let hostile = try LoopbackHTTPServer.start(routes: [
            "POST /": .init(status: 400, headers: ["Content-Type": "application/x-amz-json-1.1"],
                            body: #"{"__type":"AccessDeniedException","message":"\#(Self.hostileMessage)"}"#),
        ])
        defer { hostile.stop() }
        let dir = try temporaryDirectory("hostile")
        var environment = MotoOrganization.environment(moto.endpoint)
        environment["AWS_ENDPOINT_URL_ORGANIZATIONS"] = hostile.url.absoluteString
        let result = try await amigo(["scan", "--org", "--regions", "us-east-1", "--output", dir.path,
                                      "--catalog", dir.appendingPathComponent("amigo.sqlite").path],
                                     environment: environment, killAfter: 90)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("AccessDeniedException"), "\(result.stderr)")
        #expect(result.stderr.contains("scan complete, 0 findings"), "the message itself is kept, made inert")
        let steering = result.stderr.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}"
        }
        #expect(steering.isEmpty, "raw controls on stderr: \(steering.map { String($0.value, radix: 16) })")
        #expect(!result.stderr.split(separator: "\n").contains { $0.hasPrefix("FORGED") }, "\(result.stderr)")
    }
}
