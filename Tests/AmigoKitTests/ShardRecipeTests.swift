import AmigoTestSupport
import Foundation
import Testing

/// The sharding recipes in `examples/` hold together: the Kubernetes manifest is an Indexed Job
/// whose pods each pass a 1-based `--shard` of as many shards as it has completions, and the
/// GitHub Actions matrix lists exactly shards 1…SHARDS. (actionlint checks the workflow's syntax;
/// kubectl is not available here, so the manifest gets this schema check.)
@Suite struct ShardRecipeTests {
    @Test func kubernetesIndexedJobRunsOneShardPerCompletion() async throws {
        let job = try await yaml("examples/kubernetes/sharded-scan-job.yaml")
        #expect(job["apiVersion"] as? String == "batch/v1")
        #expect(job["kind"] as? String == "Job")
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        let completions = try #require(spec["completions"] as? Int)
        let parallelism = try #require(spec["parallelism"] as? Int)
        #expect(completions >= 2 && (1...completions).contains(parallelism))
        let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(pod["restartPolicy"] as? String == "Never")
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let env = (container["env"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
            $0[$1["name"] as? String ?? ""] = $1["value"] as? String
        }
        #expect(env["SHARDS"] == String(completions), "SHARDS must equal completions")
        let command = ((container["command"] as? [String] ?? []) + (container["args"] as? [String] ?? [])).joined(separator: " ")
        #expect(command.contains("--shard \"$((JOB_COMPLETION_INDEX + 1))/$SHARDS\""), "\(command)")
        #expect(command.contains("--as-of"))
    }

    @Test func githubMatrixListsEveryShardOnceAndMergesThem() async throws {
        let workflow = try await yaml("examples/github-actions/sharded-scan.yml")
        let shards = try #require(Int(String(describing: (workflow["env"] as? [String: Any])?["SHARDS"] ?? "")))
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let strategy = try #require((jobs["shard"] as? [String: Any])?["strategy"] as? [String: Any])
        let matrix = try #require((strategy["matrix"] as? [String: Any])?["shard"] as? [Int])
        #expect(matrix == Array(1...shards))
        let merge = try #require(jobs["merge"] as? [String: Any])
        let steps = (merge["steps"] as? [[String: Any]] ?? []).compactMap { $0["run"] as? String }.joined(separator: "\n")
        #expect(steps.contains("amigo merge merged.sqlite shards/shard-*.sqlite"))
        #expect(steps.contains("amigo evaluate --catalog merged.sqlite"))
    }

    /// PyYAML (installed with moto) turns the file into JSON; Foundation reads that.
    private func yaml(_ relativePath: String) async throws -> [String: Any] {
        // stdout alone (not runEnv's stdout and stderr together): it is parsed as JSON.
        let (status, data) = try await offPool { () throws -> (Int32, Data) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", "import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout, default=str)",
                                 repositoryRoot.appendingPathComponent(relativePath).path]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, data)
        }
        #expect(status == 0, "\(relativePath) is not YAML")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
