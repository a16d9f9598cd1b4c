import AmigoCatalog
import AmigoCore
import AmigoTestSupport
import Foundation
import Testing

/// A scan stopped before the end (killed, or told to stop) never passes for a complete one:
/// the account×regions it planned and did not read are "not read" in every report.
@Suite(.serialized) struct InterruptedScanTests {
    /// Starts the real binary on a moto organisation (every region, one at a time, so the scan
    /// takes seconds) and sends `signal` once an account×region `recorded` accepts is recorded
    /// (by default the first).
    func interrupt(_ command: String, with signal: Int32, dir: URL, extra: [String] = [],
                   once recorded: @escaping @Sendable (RegionCoverage) -> Bool = { $0.status == .scanned })
        async throws -> (status: Int32, stderr: String, catalog: String) {
        let (moto, _) = try await offPool { try MotoOrganization.start(members: 6, regions: ["us-east-1"], imagesPerRegion: 2) }
        defer { moto.stop() }
        let catalogPath = dir.appendingPathComponent("amigo.sqlite").path
        let endpoint = moto.endpoint
        // The polling loop sleeps and the wait blocks, so all of it runs off the pool; the
        // expectation is checked back here, in the test's task.
        let run = try await offPool { () throws -> (wasRunning: Bool, status: Int32, stderr: String) in
            let process = Process()
            process.executableURL = repositoryRoot.appendingPathComponent(".build/debug/amigo")
            process.arguments = [command, "--org", "--concurrency", "1", "--quiet", "--catalog", catalogPath] + extra
            process.environment = ProcessInfo.processInfo.environment.merging(MotoOrganization.environment(endpoint)) { $1 }
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            // Opened once, only after amigo has set the file up (WAL), so the two never race to create it.
            var catalog: Catalog?
            while process.isRunning && Date() < deadline {
                if catalog == nil, FileManager.default.fileExists(atPath: catalogPath + "-wal") {
                    Thread.sleep(forTimeInterval: 0.5)
                    catalog = try? Catalog(path: catalogPath)
                }
                if let coverage = try? catalog?.overview(scan: 1).coverage,
                   coverage.contains(where: recorded) { break }
                Thread.sleep(forTimeInterval: 0.02)
            }
            let wasRunning = process.isRunning
            kill(process.processIdentifier, signal)
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (wasRunning, process.terminationStatus, String(decoding: stderr, as: UTF8.self))
        }
        #expect(run.wasRunning, "the scan ended before it could be interrupted")
        return (run.status, run.stderr, catalogPath)
    }

    @Test func aScanKilledMidCollectIsInterruptedAndItsUnreadRegionsAreNotRead() async throws {
        let dir = try temporaryDirectory("killed")
        // Killed once a region with images is in: only us-east-1 has any, and whether a region
        // of no images comes first depends on how the accounts' regions interleave (a CI run
        // of 2026-12-03 killed the scan before any image was recorded, so nothing was found).
        let killed = try await interrupt("collect", with: SIGKILL, dir: dir) { $0.status == .scanned && $0.imageCount > 0 }
        #expect(killed.status == SIGKILL) // terminated by the signal, not an exit

        let out = dir.appendingPathComponent("reports")
        let evaluate = try await amigo(["evaluate", "--catalog", killed.catalog, "--scan", "1", "--quiet",
                                        "--output", out.path, "--format", "json,junit", "--allow-partial"])
        #expect(evaluate.status != 0 && evaluate.status != 2, "\(evaluate.stdout)\n\(evaluate.stderr)")
        let junit = try String(contentsOf: out.appendingPathComponent("junit.xml"), encoding: .utf8)
        let suites = try #require(junit.split(separator: "\n").first { $0.hasPrefix("<testsuites") })
        #expect(!suites.contains(#"errors="0""#), "\(suites)")
        #expect(junit.contains("not read"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as? [String: Any])
        let scan = try #require(json["scan"] as? [String: Any])
        #expect(scan["status"] as? String == "interrupted")
        let coverage = try #require(json["coverage"] as? [[String: Any]])
        #expect(coverage.contains { ($0["reason"] as? String)?.hasPrefix("not read") == true })

        let listing = try await amigo(["scans", "--catalog", killed.catalog])
        #expect(listing.stdout.contains("scan 1  interrupted"), "\(listing.stdout)")
    }

    @Test func sigintStopsACollectWithExit130() async throws {
        let stopped = try await interrupt("collect", with: SIGINT, dir: try temporaryDirectory("sigint"))
        #expect(stopped.status == 130, "\(stopped.stderr)")
        #expect(try Catalog(path: stopped.catalog).scanInfo(1)?.status == .interrupted)
    }

    @Test func sigtermStopsTheScanCleanlyExits143AndSaysSoInTheReports() async throws {
        let dir = try temporaryDirectory("sigterm")
        let out = dir.appendingPathComponent("reports")
        let stopped = try await interrupt("scan", with: SIGTERM, dir: dir, extra: ["--output", out.path, "--format", "json"])
        #expect(stopped.status == 143, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("interrupted by SIGTERM"), "\(stopped.stderr)")
        let catalog = try Catalog(path: stopped.catalog)
        #expect(try catalog.scanInfo(1)?.status == .interrupted)
        #expect(try !catalog.unread(scan: 1).isEmpty)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("findings.json"))) as? [String: Any])
        #expect((json["scan"] as? [String: Any])?["status"] as? String == "interrupted")
    }
}

/// Stale scans without killing anything: a `running` row whose process is gone.
@Suite struct StaleScanTests {
    @Test func aRunningScanOfADeadProcessOnThisHostBecomesInterrupted() throws {
        let catalog = try Catalog.inMemory()
        let here = ScanProcess.current.host
        let dead = try catalog.startScan(startedAt: Date(), asOf: Date(), source: "t", policyText: "[]", options: "",
                                         process: ScanProcess(pid: 999_999, host: here))
        let elsewhere = try catalog.startScan(startedAt: Date(), asOf: Date(), source: "t", policyText: "[]", options: "",
                                              process: ScanProcess(pid: 999_999, host: "other-host"))
        let alive = try catalog.startScan(startedAt: Date(), asOf: Date(), source: "t", policyText: "[]", options: "")
        #expect(try catalog.settleStaleScans(isAlive: { $0 != 999_999 }) == [dead])
        #expect(try catalog.scanInfo(dead)?.status == .interrupted)
        #expect(try catalog.scanInfo(elsewhere)?.status == .running)
        #expect(try catalog.scanInfo(alive)?.status == .running)
    }
}
