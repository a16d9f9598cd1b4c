import AmigoCatalog
import AmigoCore
import AmigoTestSupport
import Foundation
import Testing

/// `--shard I/N` and `amigo merge`, with the real binary against the seeded moto organisation:
/// three shards merged are the single scan, a missing shard is never compliant, and shards of
/// other scans or that overlap are refused.
@Suite(.serialized) struct ShardScanTests {
    static let asOf = "2026-11-01T00:00:00Z"

    @Test func threeShardsMergedFindWhatOneScanFindsAndAMissingShardIsPartial() async throws {
        let (moto, seeded) = try await offPool { try MotoOrganization.start() }
        defer { moto.stop() }
        let env = MotoOrganization.environment(moto.endpoint)
        let dir = try temporaryDirectory("shards")
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let source = ["--org", "--regions", seeded.regions.joined(separator: ","), "--as-of", Self.asOf, "--quiet"]

        // The single scan, which the shards are also balanced by (its image counts).
        let single = try await amigo(["scan"] + source + ["--catalog", path("single.sqlite"), "--output", path("single"),
                                                          "--format", "json"], environment: env)
        #expect(single.status == 1, "\(single.stderr)")
        let expected = try findingIdentities(path("single.sqlite"))
        #expect(!expected.isEmpty)

        var owned: [Set<String>] = []
        for index in 1...3 {
            let shard = path("shard-\(index).sqlite")
            try FileManager.default.copyItem(atPath: path("single.sqlite"), toPath: shard)
            let result = try await amigo(["collect", "--shard", "\(index)/3", "--catalog", shard] + source, environment: env)
            #expect(result.status == 0, "shard \(index): \(result.stderr)")
            let catalog = try Catalog(path: shard)
            let scan = try #require(try catalog.latestShardScanID())
            owned.append(Set(try catalog.overview(scan: scan).coverage.map { "\($0.accountId)/\($0.region)" }))
        }
        let all = Set(seeded.accounts.flatMap { account in seeded.regions.map { "\(account)/\($0)" } })
        #expect(owned.reduce(into: Set<String>()) { $0.formUnion($1) } == all)
        #expect(owned.map(\.count).reduce(0, +) == all.count, "an account×region was read by two shards: \(owned)")
        #expect(owned.allSatisfy { !$0.isEmpty }, "balanced by image counts, every shard reads something: \(owned)")

        let merged = try await amigo(["merge", path("merged.sqlite")] + (1...3).map { path("shard-\($0).sqlite") })
        #expect(merged.status == 0, "\(merged.stdout)\(merged.stderr)")
        let evaluated = try await amigo(["evaluate", "--catalog", path("merged.sqlite"), "--as-of", Self.asOf,
                                         "--output", path("merged"), "--format", "json", "--quiet"])
        #expect(evaluated.status == 1, "\(evaluated.stderr)")
        #expect(try findingIdentities(path("merged.sqlite")) == expected)

        let partial = try await amigo(["merge", path("partial.sqlite"), path("shard-1.sqlite"), path("shard-3.sqlite")])
        #expect(partial.status == 3, "\(partial.stderr)")
        #expect(partial.stderr.contains("missing shard(s) 2/3"), "\(partial.stderr)")
        let catalog = try Catalog(path: path("partial.sqlite"))
        let scan = try #require(try catalog.latestScanID(completeOnly: false))
        #expect(try catalog.scanInfo(scan)?.status == .partial)
        #expect(Set(try catalog.unread(scan: scan).map { "\($0.accountId)/\($0.region)" }) == owned[1])
        let judged = try await amigo(["evaluate", "--catalog", path("partial.sqlite"), "--as-of", Self.asOf,
                                      "--output", path("partial"), "--format", "json", "--quiet"])
        #expect(judged.status == 3, "\(judged.stderr)")

        try await refusals(dir: dir, source: source, env: env)
    }

    /// The same shard twice, a shard of another scan (another as-of), and two shards holding the
    /// same account×region (a copy relabelled) are refused, naming the file.
    func refusals(dir: URL, source: [String], env: [String: String]) async throws {
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let twice = try await amigo(["merge", path("twice.sqlite"), path("shard-1.sqlite"), path("shard-1.sqlite")])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("shard-1.sqlite: shard 1/3 again"), "\(twice.stderr)")

        try FileManager.default.copyItem(atPath: path("single.sqlite"), toPath: path("foreign.sqlite"))
        let foreign = try await amigo(["collect", "--shard", "2/3", "--catalog", path("foreign.sqlite")]
                                      + source.map { $0 == Self.asOf ? "2026-11-02T00:00:00Z" : $0 }, environment: env)
        #expect(foreign.status == 0, "\(foreign.stderr)")
        let mixed = try await amigo(["merge", path("mixed.sqlite"), path("shard-1.sqlite"), path("foreign.sqlite")])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("foreign.sqlite: a shard of a different scan than \(path("shard-1.sqlite"))"),
                "\(mixed.stderr)")

        try FileManager.default.copyItem(atPath: path("shard-2.sqlite"), toPath: path("relabelled.sqlite"))
        try await sqlite(path("relabelled.sqlite"), "UPDATE scan_shard SET shard_index = 3")
        let overlap = try await amigo(["merge", path("overlap.sqlite"), path("shard-1.sqlite"), path("shard-2.sqlite"),
                                       path("relabelled.sqlite")])
        #expect(overlap.status == 2)
        #expect(overlap.stderr.contains("relabelled.sqlite: overlaps \(path("shard-2.sqlite"))"), "\(overlap.stderr)")
        for refused in ["twice", "mixed", "overlap"] {
            let scans = try Catalog(path: path("\(refused).sqlite")).scans()
            #expect(scans.isEmpty, "\(refused): a refused merge wrote \(scans)")
        }
    }

    /// Without a previous scan shards are cut by hash; the demo (skipped regions included) in
    /// three hash shards merges to the demo scanned whole.
    @Test func demoInThreeHashShardsMergesToTheWholeDemo() async throws {
        let dir = try temporaryDirectory("demo-shards")
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let whole = try await amigo(["scan", "--demo", "--catalog", path("whole.sqlite"), "--output", path("whole"), "--quiet"])
        #expect(whole.status == 1, "\(whole.stderr)")
        for index in 1...3 {
            let result = try await amigo(["collect", "--demo", "--shard", "\(index)/3", "--catalog", path("\(index).sqlite"), "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
            let catalog = try Catalog(path: path("\(index).sqlite"))
            #expect(try catalog.shard(scan: #require(try catalog.latestShardScanID()))?.basis == "hash")
        }
        let merged = try await amigo(["merge", path("merged.sqlite")] + (1...3).map { path("\($0).sqlite") })
        #expect(merged.status == 0, "\(merged.stderr)")
        let evaluated = try await amigo(["evaluate", "--catalog", path("merged.sqlite"), "--output", path("merged"), "--quiet"])
        #expect(evaluated.status == 1, "\(evaluated.stderr)")
        let expected = try findingIdentities(path("whole.sqlite"))
        #expect(expected.count == 33)
        #expect(try findingIdentities(path("merged.sqlite")) == expected)
        let coverage = { (file: String) throws -> Set<String> in
            let catalog = try Catalog(path: path(file))
            let scan = try #require(try catalog.latestScanID(completeOnly: true))
            return Set(try catalog.overview(scan: scan).coverage.map { "\($0.accountId)/\($0.region)/\($0.status)" })
        }
        #expect(try coverage("merged.sqlite") == coverage("whole.sqlite"))
    }

    @Test(arguments: ["0/3", "4/3", "3", "1/0", "a/b", "-1/3"])
    func aShardOutsideOneToNIsAUsageError(_ shard: String) async throws {
        let result = try await amigo(["collect", "--demo", "--shard", shard, "--catalog", ":memory:"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("--shard"), "\(result.stderr)")
    }

    private func findingIdentities(_ catalogPath: String) throws -> Set<String> {
        let catalog = try Catalog(path: catalogPath)
        let scan = try #require(try catalog.latestScanID(completeOnly: false))
        let evaluation = try #require(try catalog.evaluations(scan: scan).last)
        return Set(try catalog.findings(evaluation: evaluation.id).map(\.identity))
    }

    private func sqlite(_ file: String, _ statement: String) async throws {
        let run = try await runEnv(["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()",
                                    file, statement])
        #expect(run.status == 0, "\(run.output)")
    }
}
