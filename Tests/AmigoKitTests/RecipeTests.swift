import AmigoTestSupport
import Foundation
import Testing

/// Every recipe under examples/ passes its linter, and the README documents each one. The
/// linters are installed by `scripts/install-deps --with-moto` (pinned): actionlint (with
/// shellcheck for run: blocks), check-jsonschema's GitLab CI schema, cfn-lint, and
/// systemd-analyze where systemd is installed.
@Suite struct RecipeTests {
    static let examples = repositoryRoot.appendingPathComponent("examples")

    static func files(_ folder: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: examples.appendingPathComponent(folder),
                                                    includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
    }

    /// Runs a linter from PATH; nil when it is not installed.
    static func lint(_ tool: String, _ arguments: [String]) async throws -> (status: Int32, output: String)? {
        guard try await runEnv(["which", tool]).status == 0 else { return nil }
        return try await runEnv([tool] + arguments)
    }

    static let missing = "not installed: run scripts/install-deps --with-moto"

    @Test func githubWorkflowsPassActionlint() async throws {
        let workflows = try Self.files("github-actions")
        // Every documented workflow is linted; a renamed or lost one fails here.
        #expect(Set(workflows.map(\.lastPathComponent)) == ["amigo-pr-gate.yml", "amigo-weekly.yml", "sharded-scan.yml"])
        let run = try #require(try await Self.lint("actionlint", ["-no-color"] + workflows.map(\.path)), "actionlint \(Self.missing)")
        #expect(run.status == 0, "\(run.output)")
    }

    @Test func gitlabPipelinesMatchGitLabsSchemaAndUseOIDC() async throws {
        for file in try Self.files("gitlab-ci") {
            let run = try #require(try await Self.lint("check-jsonschema", ["--builtin-schema", "vendor.gitlab-ci", file.path]),
                                   "check-jsonschema \(Self.missing)")
            #expect(run.status == 0, "\(run.output)")
            let text = try String(contentsOf: file, encoding: .utf8)
            for required in ["id_tokens:", "aud: sts.amazonaws.com", "junit: reports/junit.xml", "AWS_WEB_IDENTITY_TOKEN_FILE"] {
                #expect(text.contains(required), "\(file.lastPathComponent) lacks \(required)")
            }
        }
    }

    @Test func cloudFormationRolePassesCfnLintAndHoldsExactlyThePrintedActions() async throws {
        let template = Self.examples.appendingPathComponent("cloudformation/amigo-member-role.yml")
        let lint = try #require(try await Self.lint("cfn-lint", [template.path]), "cfn-lint \(Self.missing)")
        #expect(lint.status == 0, "\(lint.output)")
        let printed = try await amigo(["permissions", "--org", "--policies", "policies/baseline.yml,policies/guardrails.yml",
                                       "--format", "cloudformation"])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout == (try String(contentsOf: template, encoding: .utf8)),
                "stale: amigo permissions --org --policies policies/baseline.yml,policies/guardrails.yml --format cloudformation > \(template.path)")
    }

    @Test func permissionFormatsCarryTheSameActions() async throws {
        let arguments = ["permissions", "--org", "--policies", "policies/baseline.yml,policies/guardrails.yml"]
        let json = try await amigo(arguments + ["--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let statement = try #require((document["Statement"] as? [[String: Any]])?.first)
        let actions = try #require(statement["Action"] as? [String])
        #expect(actions.contains("ec2:DescribeImages") && actions.contains("sts:AssumeRole"))
        for format in ["cloudformation", "terraform"] {
            let rendered = try await amigo(arguments + ["--format", format]).stdout
            let quoted = rendered.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            let listed = Set(quoted.filter { $0.range(of: #"^[a-z0-9]+:[A-Za-z]+$"#, options: .regularExpression) != nil })
            #expect(listed.subtracting(["sts:ExternalId"]) == Set(actions), "\(format)")
        }
        let bad = try await amigo(["permissions", "--format", "yaml"])
        #expect(bad.status == 2 && bad.stderr.contains("cloudformation"), "\(bad.stderr)")
    }

    @Test func systemdUnitsVerify() async throws {
        let units = try Self.files("systemd")
        #expect(Set(units.map(\.lastPathComponent)) == ["amigo-scan.service", "amigo-scan.timer"])
        let dir = try temporaryDirectory("units")
        var copies: [String] = []
        for unit in units {
            // systemd-analyze checks that ExecStart's binary exists: point it at the one built here.
            let text = try String(contentsOf: unit, encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/amigo", with: repositoryRoot.appendingPathComponent(".build/debug/amigo").path)
            let copy = dir.appendingPathComponent(unit.lastPathComponent)
            try text.write(to: copy, atomically: true, encoding: .utf8)
            copies.append(copy.path)
        }
        if let run = try await Self.lint("systemd-analyze", ["verify"] + copies) {
            #expect(run.status == 0 && run.output.isEmpty, "\(run.output)")
        } else {
            for unit in units { try Self.parseUnit(unit) }  // no systemd here: sections and keys at least
        }
    }

    static func parseUnit(_ unit: URL) throws {
        var section: String?
        for line in try String(contentsOf: unit, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            if line.hasPrefix("[") { section = String(line); continue }
            #expect(section != nil && line.contains("="), "\(unit.lastPathComponent): \(line)")
        }
    }

    @Test func cronEntriesHaveFiveTimeFieldsAUserAndACommand() throws {
        for file in try Self.files("cron") {
            let entries = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                .filter { !$0.hasPrefix("#") && $0.range(of: #"^[A-Z_]+="#, options: .regularExpression) == nil }
            #expect(!entries.isEmpty)
            for entry in entries {
                let fields = entry.split(separator: " ", omittingEmptySubsequences: true)
                #expect(fields.count > 6, "\(entry)")
                for field in fields.prefix(5) {
                    #expect(field.range(of: #"^[0-9*/,-]+$"#, options: .regularExpression) != nil, "time field \(field)")
                }
                #expect(!entry.contains("%"), "cron turns % into a newline")
                #expect(fields.dropFirst(6).joined(separator: " ").contains("amigo scan"))
            }
        }
    }

    @Test func everyRecipeIsInTheREADME() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for folder in ["github-actions", "gitlab-ci", "cron", "systemd", "cloudformation"] {
            for file in try Self.files(folder) {
                #expect(readme.contains("examples/\(folder)/\(file.lastPathComponent)"), "README lacks \(file.lastPathComponent)")
            }
        }
        #expect(readme.contains("## Install") && readme.contains("## Recipes"))
    }
}
