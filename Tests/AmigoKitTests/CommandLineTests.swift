import Foundation
import Testing

/// The exit-code contract, through the real binary.
@Suite struct CommandLineTests {
    @Test func demoScanExitsOneAndWritesReports() async throws {
        let dir = try temporaryDirectory()
        let result = try await amigo(["scan", "--demo", "--quiet", "--output", dir.path,
                                      "--catalog", dir.appendingPathComponent("c.sqlite").path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("ami-not-public"))
        for file in ["findings.json", "junit.xml", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path))
        }
    }

    @Test func failOnNoneExitsZero() async throws {
        let dir = try temporaryDirectory()
        let result = try await amigo(["scan", "--demo", "--quiet", "--fail-on", "none", "--output", dir.path,
                                      "--catalog", dir.appendingPathComponent("c.sqlite").path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test(arguments: [["scan", "--no-such-flag"], ["scan", "--fail-on", "severe"], ["scan", "--as-of", "yesterday"],
                      ["scan", "--demo", "--format", "pdf"], ["frobnicate"]])
    func usageErrorsExitTwo(arguments: [String]) async throws {
        let dir = try temporaryDirectory()
        let result = try await amigo(arguments + ["--output", dir.path, "--catalog", dir.appendingPathComponent("c.sqlite").path])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func invalidPolicyNamesFileLineAndColumn() async throws {
        let dir = try temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.yml")
        try "policies:\n  - id: too-old\n    check: age\n    severity: high\n    params: { max-days: 10, deprecatd: fail }\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let result = try await amigo(["scan", "--demo", "--policies", bad.path, "--output", dir.appendingPathComponent("r").path,
                                      "--catalog", dir.appendingPathComponent("c.sqlite").path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.yml:5:"), "\(result.stderr)")
        #expect(result.stderr.contains("deprecatd"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r").path))
    }

    @Test func policiesValidateAndList() async throws {
        let ok = try await amigo(["policies", "validate", "policies/baseline.yml"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let list = try await amigo(["policies", "list"])
        #expect(list.status == 0)
        for check in ["encryption", "age", "public-sharing", "cross-account-sharing", "tags", "virtualization-type"] {
            #expect(list.stdout.contains(check))
        }
    }

    @Test func evaluateAndReportReadTheCatalogueWithoutAWS() async throws {
        let dir = try temporaryDirectory()
        let catalog = dir.appendingPathComponent("c.sqlite").path
        _ = try await amigo(["collect", "--demo", "--quiet", "--catalog", catalog])
        let evaluated = try await amigo(["evaluate", "--catalog", catalog, "--output", dir.appendingPathComponent("e").path,
                                         "--fail-on", "critical"])
        #expect(evaluated.status == 1, "\(evaluated.stderr)")
        let reported = try await amigo(["report", "--catalog", catalog, "--format", "sarif,markdown,csv",
                                        "--output", dir.appendingPathComponent("r").path, "--fail-on", "none"])
        #expect(reported.status == 0, "\(reported.stderr)")
        for file in ["findings.sarif", "report.md", "findings.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("r/\(file)").path))
        }
    }

    @Test func permissionsListsOnlyReadActions() async throws {
        let result = try await amigo(["permissions", "--org"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let statement = (object?["Statement"] as? [[String: Any]])?.first
        let actions = try #require(statement?["Action"] as? [String])
        #expect(actions.contains("ec2:DescribeImages"))
        #expect(actions.contains("sts:AssumeRole"))
        for action in actions {
            let verb = action.split(separator: ":")[1]
            #expect(["Describe", "Get", "List", "AssumeRole"].contains { verb.hasPrefix($0) }, "\(action)")
        }
    }

    @Test func diffShowsWhatAgeingAddedBetweenTwoScans() async throws {
        let dir = try temporaryDirectory()
        let catalog = dir.appendingPathComponent("c.sqlite").path
        for asOf in ["2026-11-01", "2027-01-15"] {
            _ = try await amigo(["scan", "--demo", "--quiet", "--as-of", asOf, "--catalog", catalog, "--output", dir.path])
        }
        let scans = try await amigo(["scans", "--catalog", catalog])
        // Two scans, each with the evaluation its scan stored.
        #expect(scans.stdout.split(separator: "\n").filter { $0.hasPrefix("scan ") }.count == 2, "\(scans.stdout)")
        #expect(scans.stdout.split(separator: "\n").filter { $0.hasPrefix("  evaluation ") }.count == 2, "\(scans.stdout)")
        // diff renders; it gates only when asked to (--fail-on).
        let diff = try await amigo(["diff", "--catalog", catalog])
        #expect(diff.status == 0)
        #expect(try await amigo(["diff", "--catalog", catalog, "--fail-on", "medium"]).status == 1)
        #expect(diff.stdout.contains("0 resolved"))
        let added = diff.stdout.split(separator: "\n").filter { $0.hasPrefix("+ ") }
        #expect(!added.isEmpty)
        #expect(added.allSatisfy { $0.contains("ami-max-age") }, "\(added)")
        let gate = try await amigo(["diff", "--catalog", catalog, "--fail-on", "high"])
        #expect(gate.status == 0)
    }

    @Test func progressGoesToStderrUnlessQuiet() async throws {
        let dir = try temporaryDirectory()
        let catalog = dir.appendingPathComponent("c.sqlite").path
        let loud = try await amigo(["scan", "--demo", "--output", dir.path, "--catalog", catalog])
        // Not a terminal here: plain lines, no carriage returns or escape codes.
        #expect(loud.stderr.contains("collected: accounts 3  regions 9/9  images 64"), "\(loud.stderr)")
        #expect(!loud.stderr.contains("\u{1B}["))
        let quiet = try await amigo(["scan", "--demo", "--quiet", "--output", dir.path, "--catalog", catalog])
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(quiet.stdout == loud.stdout.replacingOccurrences(of: "scan 1 ", with: "scan 2 "))
    }
}
