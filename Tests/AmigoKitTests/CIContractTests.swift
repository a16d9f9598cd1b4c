import AmigoKit
import AmigoReports
import Foundation
import Testing

/// The command line as a CI job uses it: typed options, stdout reports, baselines, file names.
@Suite struct CIContractTests {
    func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test func everyReportFormatIsAReporter() {
        #expect(Set(ReportFormat.allCases.map(\.rawValue)) == Set(Reporters.all.map { $0.id }))
    }

    @Test func aBogusLogLevelIsExitTwoListingTheValidOnes() async throws {
        let result = try await amigo(["scan", "--demo", "--log-level", "bogus"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("trace") && result.stderr.contains("critical"), "\(result.stderr)")
        let format = try await amigo(["scan", "--demo", "--format", "json,pdf"])
        #expect(format.status == 2, "\(format.stderr)")
        let failOn = try await amigo(["scan", "--demo", "--fail-on", "severe"])
        #expect(failOn.status == 2)
    }

    @Test func quietIsAcceptedByEveryCommand() async throws {
        for command in [["policies", "list"], ["policies", "validate"], ["permissions"], ["scans", "--catalog", "/nonexistent/x.sqlite"]] {
            let result = try await amigo(command + ["-q"])
            #expect(result.status != 2 || !result.stderr.contains("Unknown option"), "\(command): \(result.stderr)")
        }
    }

    @Test func outputDashWritesOneFormatToStdoutAndTwoAreAUsageError() async throws {
        let dir = try temporaryDirectory()
        let one = try await amigo(["scan", "--demo", "-q", "--output", "-", "--format", "sarif", "--fail-on", "none",
                                   "--catalog", dir.appendingPathComponent("c.sqlite").path], in: dir)
        #expect(one.status == 0, "\(one.stderr)")
        let sarif = try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any]
        #expect(sarif?["version"] as? String == "2.1.0")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path))
        let two = try await amigo(["scan", "--demo", "-q", "--output", "-", "--format", "json,sarif",
                                   "--catalog", dir.appendingPathComponent("d.sqlite").path], in: dir)
        #expect(two.status == 2, "\(two.stderr)")
    }

    @Test func theCatalogueGoesBesideTheReportsAndReportNamesFollowThePattern() async throws {
        let dir = try temporaryDirectory()
        let result = try await amigo(["scan", "--demo", "-q", "--output", "out1", "--format", "json,html",
                                      "--report-name", "amigo-{date}-{scan}"], in: dir)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out1/amigo.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports").path))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out1").path).sorted()
        let day = String(AsOf.format(Date()).prefix(10))
        #expect(files.contains("amigo-\(day)-1.json") && files.contains("amigo-\(day)-1.html"), "\(files)")
        let bad = try await amigo(["scan", "--demo", "-q", "--output", "out2", "--report-name", "x-{week}"], in: dir)
        #expect(bad.status == 2)
    }

    @Test func reportAndDiffRenderWithoutGatingUnlessAskedTo() async throws {
        let dir = try temporaryDirectory()
        let catalog = dir.appendingPathComponent("c.sqlite").path
        for asOf in ["2026-11-01", "2027-01-15"] {
            _ = try await amigo(["scan", "--demo", "-q", "--as-of", asOf, "--catalog", catalog, "--output", dir.path])
        }
        let report = try await amigo(["report", "--catalog", catalog, "--output", dir.appendingPathComponent("r").path])
        #expect(report.status == 0, "\(report.stderr)")
        let gated = try await amigo(["report", "--catalog", catalog, "--output", dir.appendingPathComponent("r").path,
                                     "--fail-on", "high"])
        #expect(gated.status == 1)
        let diffOut = dir.appendingPathComponent("diff")
        let diff = try await amigo(["diff", "--catalog", catalog, "--format", "json,markdown", "--output", diffOut.path])
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("new"))
        let document = try json(diffOut.appendingPathComponent("findings.json"))
        let baseline = try #require(document["baseline"] as? [String: Any])
        #expect((baseline["new"] as? Int ?? 0) > 0)
        let findings = try #require(document["findings"] as? [[String: Any]])
        #expect(Set(findings.compactMap { $0["baseline"] as? String }) == ["new", "existing"])
        #expect(try await amigo(["diff", "--catalog", catalog, "--fail-on", "info"]).status == 1)
    }

    @Test func aBaselineFailsOnlyOnNewFindingsAndListsResolvedOnes() async throws {
        let dir = try temporaryDirectory()
        let first = dir.appendingPathComponent("first")
        _ = try await amigo(["scan", "--demo", "-q", "--as-of", "2026-11-01", "--output", first.path, "--format", "json"])
        let baselineFile = first.appendingPathComponent("findings.json").path

        let same = dir.appendingPathComponent("same")
        let unchanged = try await amigo(["scan", "--demo", "-q", "--as-of", "2026-11-01", "--output", same.path,
                                         "--format", "json,sarif", "--baseline", baselineFile])
        #expect(unchanged.status == 0, "\(unchanged.stdout)\n\(unchanged.stderr)")
        #expect(unchanged.stdout.contains("baseline: 0 new, "), "\(unchanged.stdout)")
        #expect(unchanged.stdout.contains(" existing, 0 resolved"), "\(unchanged.stdout)")
        let sarif = try json(same.appendingPathComponent("findings.sarif"))
        let results = try #require((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(results.allSatisfy { $0["baselineState"] as? String == "unchanged" })

        let later = dir.appendingPathComponent("later")
        let aged = try await amigo(["scan", "--demo", "-q", "--as-of", "2027-01-15", "--output", later.path,
                                    "--format", "json", "--baseline", first.appendingPathComponent("amigo.sqlite").path])
        #expect(aged.status == 1, "\(aged.stdout)")
        let document = try json(later.appendingPathComponent("findings.json"))
        let newOnes = (document["findings"] as? [[String: Any]] ?? []).filter { $0["baseline"] as? String == "new" }
        #expect(!newOnes.isEmpty)
        #expect(newOnes.allSatisfy { $0["policyId"] as? String == "ami-max-age" })

        // Against the later run, the earlier one has resolved what ageing added.
        let back = try await amigo(["scan", "--demo", "-q", "--as-of", "2026-11-01", "--output", dir.appendingPathComponent("back").path,
                                    "--format", "json", "--baseline", later.appendingPathComponent("findings.json").path])
        #expect(back.status == 0, "\(back.stdout)")
        let resolvedLines = back.stdout.split(separator: "\n").filter { $0.hasPrefix("resolved: ") }
        #expect(resolvedLines.count == newOnes.count, "\(back.stdout)")
        let resolved = (try json(dir.appendingPathComponent("back/findings.json"))["baseline"] as? [String: Any])?["resolved"] as? [[String: Any]]
        #expect(resolved?.count == newOnes.count)
    }
}
