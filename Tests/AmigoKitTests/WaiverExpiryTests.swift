import AmigoCore
import AmigoKit
import Foundation
import Testing

/// A waiver that lapsed is said, not silent; one about to lapse is a warning everywhere.
@Suite struct WaiverExpiryTests {
    static let policy = """
        policies:
          - id: ami-not-public
            check: public-sharing
            severity: critical
        waivers:
          - policy: ami-not-public
            images: [ami-002a5b711a64318c6]
            reason: marketing launch
            expires: 2026-10-01
          - policy: ami-not-public
            images: [ami-0753456d3452ec512]
            reason: removal planned
            expires: 2026-11-10
        """

    @Test func expiredWaiversAreNamedAndExpiringOnesWarnInEveryReport() async throws {
        let dir = try temporaryDirectory("waivers")
        let file = dir.appendingPathComponent("waivers.yml")
        try Self.policy.write(to: file, atomically: true, encoding: .utf8)
        let formats = ReportFormat.allCases
        let (run, out) = try demoScan(policies: [file], formats: formats)
        #expect(await run.scan(console: Console(quiet: true)) == .findings)
        let reports = out.appendingPathComponent("reports")
        let files = try FileManager.default.contentsOfDirectory(atPath: reports.path)
        #expect(files.count == formats.count)
        for name in files {
            var text = try String(contentsOf: reports.appendingPathComponent(name), encoding: .utf8)
            // The HTML keeps ids and parenthesised words on one line with spans: read what it shows.
            if name.hasSuffix(".html") { text = text.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression) }
            #expect(text.contains("waiver expired on 2026-10-01 (marketing launch)"), "\(name)")
            #expect(text.contains("expires on 2026-11-10 (removal planned)"), "\(name)")
        }
        let json = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: reports.appendingPathComponent("findings.json"))) as? [String: Any])
        #expect((json["warnings"] as? [String])?.count == 1)
        let findings = try #require(json["findings"] as? [[String: Any]])
        let lapsed = try #require(findings.first { $0["resourceId"] as? String == "ami-002a5b711a64318c6" })
        #expect((lapsed["evidence"] as? [String: String])?["waiverExpired"] == "2026-10-01 (marketing launch)")

        let summary = try await amigo(["report", "--catalog", out.appendingPathComponent("amigo.sqlite").path,
                                       "--output", dir.appendingPathComponent("again").path, "--format", "json"])
        #expect(summary.stdout.contains("warning: waiver of ami-not-public (images ami-0753456d3452ec512) expires on 2026-11-10"),
                "\(summary.stdout)")
    }
}
