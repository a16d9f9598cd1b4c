import AmigoTestSupport
import Foundation
import Testing

/// README's Security Hub import loop, run as written against a stand-in `aws` that records each
/// call: BatchImportFindings takes at most 100 findings, and a custom integration's findings
/// only from their own account (issue 11).
@Suite struct SecurityHubImportTests {
    static var snippet: String? {
        let readme = ReadmeContractTests.readme
        return readme.components(separatedBy: "**Security Hub**").dropFirst().first?
            .components(separatedBy: "```sh\n").dropFirst().first?
            .components(separatedBy: "```").first
    }

    @Test func theReadmeLoopImportsOneAccountInBatchesOfOneRegionAndAtMost100() async throws {
        let script = try #require(Self.snippet, "README has no Security Hub snippet")
        let dir = try temporaryDirectory("amigo-import")
        defer { try? FileManager.default.removeItem(at: dir) }
        let counts = [("111111111111", "us-east-1", 230), ("111111111111", "eu-west-1", 20), ("222222222222", "us-east-1", 5)]
        let findings = counts.flatMap { account, region, n in
            (0..<n).map { ["AwsAccountId": account, "Region": region, "Id": "\(account)-\(region)-\($0)"] }
        }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("reports"), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: findings).write(to: dir.appendingPathComponent("reports/findings.asff.json"))
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let stub = bin.appendingPathComponent("aws")
        try """
            #!/usr/bin/env bash
            # args: securityhub batch-import-findings --region R --findings file://F
            file="${6#file://}"
            echo "$4 $(jq length "$file") $(jq -r '[.[].Region] | unique | join(",")' "$file") $(jq -r '[.[].AwsAccountId] | unique | join(",")' "$file")" >> calls.log
            """.write(to: stub, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stub.path)
        let run = try await runEnv(["env", "PATH=\(bin.path):/usr/bin:/bin", "ACCOUNT=111111111111", "bash", "-euo", "pipefail", "-c", script],
                                   in: dir)
        #expect(run.status == 0, "\(run.output)")
        let calls = try String(contentsOf: dir.appendingPathComponent("calls.log"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(calls == ["eu-west-1 20 eu-west-1 111111111111", "us-east-1 100 us-east-1 111111111111",
                          "us-east-1 100 us-east-1 111111111111", "us-east-1 30 us-east-1 111111111111"])
    }
}
