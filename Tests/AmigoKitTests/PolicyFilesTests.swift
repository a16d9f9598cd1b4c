import Foundation
import Testing

/// `--policies a.yml,b.yml` reads the files as one set, through the core's loader.
@Suite struct PolicyFilesTests {
    private let a = "policies:\n  - id: ami-not-public\n    check: public-sharing\n    severity: critical\n"

    private func files(_ texts: [String: String]) throws -> URL {
        let dir = try temporaryDirectory("amigo-policy-files")
        for (name, text) in texts {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func waiverMayNameAPolicyOfAnotherFile() async throws {
        let dir = try files(["a.yml": a, "b.yml": """
            policies:
              - id: ami-hvm-only
                check: virtualization-type
                severity: medium
            waivers:
              - policy: ami-not-public
                images: [ami-1]
                reason: a public marketplace image
                expires: 2099-01-01
            """])
        let result = try await amigo(["policies", "validate", "a.yml", "b.yml"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 policies, 1 waivers"), "\(result.stdout)")
    }

    @Test func duplicateIdAcrossFilesIsReportedAtItsOwnPlace() async throws {
        let dir = try files(["a.yml": a, "b.yml": "policies:\n  - id: ami-hvm-only\n    check: virtualization-type\n    severity: low\n" + a.dropFirst("policies:\n".count)])
        let result = try await amigo(["policies", "validate", "a.yml", "b.yml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.trimmingCharacters(in: .newlines)
                == "b.yml:5:9: error: policy 'ami-not-public': duplicate policy id; it is first defined at a.yml:2:9")
    }

    /// The command line read files itself and decoded them lossily: "caf\u{FFFD}" passed.
    @Test func nonUTF8FileIsRejectedAtTheBadByte() async throws {
        let dir = try temporaryDirectory("amigo-policy-files")
        try (Data(a.utf8) + Data("    description: caf".utf8) + Data([0xE9]) + Data("\n".utf8))
            .write(to: dir.appendingPathComponent("latin1.yml"))
        let result = try await amigo(["policies", "validate", "latin1.yml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.trimmingCharacters(in: .newlines)
                == "latin1.yml:5:21: error: the policy file is not UTF-8: invalid byte 0xE9 (save it as UTF-8)")
    }

    @Test func sizeCapComesFromTheEnvironment() async throws {
        let dir = try files(["a.yml": a])
        let capped = try await amigo(["policies", "validate", "a.yml"], in: dir, environment: ["AMIGO_MAX_POLICY_BYTES": "32"])
        #expect(capped.status == 2)
        #expect(capped.stderr.contains("a.yml:1:1: error: the policy file is larger than 32 bytes"), "\(capped.stderr)")
        let bad = try await amigo(["policies", "validate", "a.yml"], in: dir, environment: ["AMIGO_MAX_POLICY_BYTES": "lots"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("AMIGO_MAX_POLICY_BYTES must be a whole number of bytes greater than 0, got 'lots'"), "\(bad.stderr)")
    }
}

/// An evaluation's policy digest names the policies, not the folder they were read from: the
/// same pack in two checkouts (a developer's and a CI runner's) is one policy set.
@Suite struct PolicyDigestTests {
    /// Run from outside the copy, so the file is named by its absolute path, as a CI runner names it.
    private func digest(copying text: String) async throws -> String {
        let dir = try temporaryDirectory("amigo-digest")
        try text.write(to: dir.appendingPathComponent("pack.yml"), atomically: true, encoding: .utf8)
        let result = try await amigo(["scan", "--demo", "--policies", dir.appendingPathComponent("pack.yml").path,
                                      "--format", "json", "--output", "-", "--catalog",
                                      dir.appendingPathComponent("c.sqlite").path, "--fail-on", "none", "--quiet"],
                                     in: dir.deletingLastPathComponent())
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let evaluation = try #require(json["evaluation"] as? [String: Any])
        return try #require(evaluation["policyDigest"] as? String)
    }

    @Test func theSamePoliciesInAnotherFolderHaveTheSameDigest() async throws {
        let pack = try String(contentsOf: repositoryRoot.appendingPathComponent("policies/baseline.yml"), encoding: .utf8)
        #expect(try await digest(copying: pack) == digest(copying: pack))
        #expect(try await digest(copying: pack) != digest(copying: pack + "\n# edited\n"))
    }
}
