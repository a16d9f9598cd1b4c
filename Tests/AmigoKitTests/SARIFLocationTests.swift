import AmigoTestSupport
import Foundation
import Testing

/// Issue 11: SARIF locates a policy relative to `%SRCROOT%`, never by the path the user typed,
/// so code scanning keeps its alerts when the same repository is scanned from another folder.
@Suite struct SARIFLocationTests {
    /// A checkout (a folder with `.git`) holding the baseline policies.
    static func checkout() throws -> URL {
        let repo = try temporaryDirectory("amigo-checkout")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("policies/nested"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("policies/baseline.yml"),
                                         to: repo.appendingPathComponent("policies/baseline.yml"))
        return repo
    }

    static func sarif(_ policies: String, in directory: URL, catalog: URL) async throws -> (text: String, locations: [String]) {
        let run = try await amigo(["scan", "--demo", "-q", "--policies", policies, "--output", "-", "--format", "sarif",
                                   "--fail-on", "none", "--catalog", catalog.path], in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let results = try #require((document["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let locations = results.compactMap { result -> String? in
            guard let physical = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any],
                  let artifact = physical["artifactLocation"] as? [String: Any] else { return nil }
            let line = (physical["region"] as? [String: Any])?["startLine"] as? Int
            return "\(artifact["uriBaseId"] as? String ?? "-") \(artifact["uri"] as? String ?? "-"):\(line ?? 0)"
        }
        return (run.stdout, locations)
    }

    @Test func locationsAreTheSameFromTheCheckoutASubfolderAndElsewhereByAbsolutePath() async throws {
        let repo = try Self.checkout()
        let elsewhere = try temporaryDirectory("amigo-elsewhere")
        defer { try? FileManager.default.removeItem(at: repo); try? FileManager.default.removeItem(at: elsewhere) }
        let absolute = repo.appendingPathComponent("policies/baseline.yml").path
        let runs = [
            try await Self.sarif("policies/baseline.yml", in: repo, catalog: elsewhere.appendingPathComponent("1.sqlite")),
            try await Self.sarif("../baseline.yml", in: repo.appendingPathComponent("policies/nested"),
                                 catalog: elsewhere.appendingPathComponent("2.sqlite")),
            try await Self.sarif(absolute, in: elsewhere, catalog: elsewhere.appendingPathComponent("3.sqlite")),
        ]
        let first = try #require(runs.first)
        #expect(!first.locations.isEmpty)
        #expect(first.locations.allSatisfy { $0.hasPrefix("%SRCROOT% policies/baseline.yml:") }, "\(first.locations)")
        for run in runs.dropFirst() {
            #expect(run.locations == first.locations)
        }
        for run in runs {
            #expect(!run.text.contains(repo.path), "the SARIF names the folder it was scanned from")
            #expect(!run.text.contains(elsewhere.path), "the SARIF names the working directory")
        }
    }

    /// `amigo report` from the catalogue keeps the location the scan stored.
    @Test func aStoredScanReportsTheSameLocations() async throws {
        let repo = try Self.checkout()
        let elsewhere = try temporaryDirectory("amigo-elsewhere")
        defer { try? FileManager.default.removeItem(at: repo); try? FileManager.default.removeItem(at: elsewhere) }
        let catalog = elsewhere.appendingPathComponent("amigo.sqlite")
        let scanned = try await Self.sarif(repo.appendingPathComponent("policies/baseline.yml").path, in: elsewhere, catalog: catalog)
        let report = try await amigo(["report", "--catalog", catalog.path, "--output", "-", "--format", "sarif"], in: elsewhere)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("\"uri\": \"policies/baseline.yml\""))
        #expect(!report.stdout.contains(repo.path))
        #expect(!scanned.locations.isEmpty)
    }

    /// The demo's own reports in each security-tool format pass their schemas too.
    @Test(arguments: ["sarif", "asff", "ocsf"])
    func demoReportsValidate(format: String) async throws {
        let dir = try temporaryDirectory("amigo-demo-formats")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.json")
        let run = try await amigo(["scan", "--demo", "-q", "--output", "-", "--format", format, "--fail-on", "none",
                                   "--catalog", dir.appendingPathComponent("amigo.sqlite").path])
        #expect(run.status == 0, "\(run.stderr)")
        try Data(run.stdout.utf8).write(to: out)
        let check = try await runEnv(["python3", repositoryRoot.appendingPathComponent("scripts/validate-report").path, format, out.path])
        #expect(check.status == 0, "\(check.output)")
    }
}
