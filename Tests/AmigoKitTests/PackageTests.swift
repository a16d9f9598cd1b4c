import AmigoKit
import AmigoTestSupport
import Foundation
import Testing

/// The release tarball `scripts/package` makes (CI's `.ci/run` packages before testing): run as
/// a new user would, from an empty folder with a minimal environment, it needs no checkout
/// and no Swift toolchain. Skipped until `dist/` holds a package of this version.
@Suite(.serialized, .enabled(if: PackagedBuild.tarball != nil, "no package: run scripts/package first"))
struct PackageTests {
    @Test func theUnpackedPackageRunsTheDemoFromTmpWithAMinimalEnvironment() async throws {
        let root = try await PackagedBuild.unpack()
        let out = try temporaryDirectory("package-demo")
        let run = try await PackagedBuild.run(root.appendingPathComponent("bin/amigo"),
                                              ["scan", "--demo", "--quiet", "--output", out.appendingPathComponent("reports").path,
                                               "--catalog", out.appendingPathComponent("amigo.sqlite").path])
        #expect(run.status == 1, "\(run.output)")
        let reports = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("reports").path)
        #expect(Set(reports) == ["findings.json", "junit.xml", "report.html"])
    }

    @Test func aBareBinaryFindsItsFilesOnlyThroughAMIGO_DATA_DIR() async throws {
        let root = try await PackagedBuild.unpack()
        let bare = try temporaryDirectory("package-bare")
        let binary = bare.appendingPathComponent("amigo")
        try FileManager.default.copyItem(at: root.appendingPathComponent("bin/amigo"), to: binary)
        let out = try temporaryDirectory("package-bare-out")
        let arguments = ["scan", "--demo", "--quiet", "--output", out.path,
                         "--catalog", out.appendingPathComponent("amigo.sqlite").path]
        let lost = try await PackagedBuild.run(binary, arguments)
        #expect(lost.status == 2)
        #expect(lost.output.contains("AMIGO_DATA_DIR"), "\(lost.output)")
        let found = try await PackagedBuild.run(binary, arguments,
                                                environment: ["AMIGO_DATA_DIR": root.appendingPathComponent("share/amigo").path])
        #expect(found.status == 1, "\(found.output)")
    }

    @Test func versionVerboseNamesTheFilesItUses() async throws {
        let root = try await PackagedBuild.unpack()
        let run = try await PackagedBuild.run(root.appendingPathComponent("bin/amigo"), ["--version", "--verbose"])
        #expect(run.status == 0)
        let share = root.appendingPathComponent("share/amigo").standardizedFileURL.path
        #expect(run.output.contains("data directory: \(share) (from ../share/amigo"), "\(run.output)")
        #expect(run.output.contains("demo organisation: \(share)/fixtures/demo-org"), "\(run.output)")
    }

    @Test func theBinaryLoadsNoSwiftToolchainLibrary() async throws {
        let root = try await PackagedBuild.unpack()
        let ldd = try await PackagedBuild.run(URL(fileURLWithPath: "/usr/bin/ldd"), [root.appendingPathComponent("bin/amigo").path])
        #expect(ldd.status == 0)
        for forbidden in ["libswift", "libFoundation", "libdispatch", "libBlocksRuntime", "/swift/"] {
            #expect(!ldd.output.contains(forbidden), "\(ldd.output)")
        }
        #expect(ldd.output.contains("libcurl"))
    }

    @Test func thePackageHoldsCompletionsAndHelp() async throws {
        let share = try await PackagedBuild.unpack().appendingPathComponent("share/amigo")
        for file in ["completions/amigo.bash", "completions/_amigo", "completions/amigo.fish", "help.txt",
                     "policies/baseline.yml", "policies/guardrails.yml"] {
            let text = try String(contentsOf: share.appendingPathComponent(file), encoding: .utf8)
            #expect(text.contains("scan") || text.contains("policies:"), "\(file)")
        }
    }
}

enum PackagedBuild {
    static var tarball: URL? {
        let dist = repositoryRoot.appendingPathComponent("dist")
        let prefix = "amigo-\(AmigoVersion.current)-linux-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dist.path)) ?? []
        return names.first { $0.hasPrefix(prefix) && $0.hasSuffix(".tar.gz") }.map { dist.appendingPathComponent($0) }
    }

    /// The tarball unpacked into a fresh empty folder; returns the package's top folder.
    static func unpack() async throws -> URL {
        let tarball = try #require(tarball)
        let dir = try temporaryDirectory("package")
        let untar = try await run(URL(fileURLWithPath: "/usr/bin/tar"), ["-xzf", tarball.path, "-C", dir.path])
        try #require(untar.status == 0, "\(untar.output)")
        return dir.appendingPathComponent(String(tarball.lastPathComponent.dropLast(".tar.gz".count)))
    }

    /// Runs `executable` from /tmp with `env -i PATH=/usr/bin:/bin` plus `environment`.
    static func run(_ executable: URL, _ arguments: [String],
                    environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try await runEnv(["-i", "PATH=/usr/bin:/bin"] + environment.map { "\($0.key)=\($0.value)" } + [executable.path] + arguments,
                         in: URL(fileURLWithPath: "/tmp"))
    }
}
