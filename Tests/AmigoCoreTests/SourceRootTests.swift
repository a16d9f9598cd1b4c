@testable import AmigoCore
import Foundation
import Testing

/// SARIF's `%SRCROOT%`: a policy file's path relative to it does not depend on where amigo
/// runs or how the path was typed (issue 11).
@Suite struct SourceRootTests {
    static func folder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("policies/packs"), withIntermediateDirectories: true)
        return url
    }

    @Test func insideACheckoutThePathIsRelativeToTheCheckoutFromAnyWorkingDirectory() throws {
        let repo = try Self.folder("checkout")
        defer { try? FileManager.default.removeItem(at: repo) }
        // A worktree's .git is a file: either marks the checkout.
        try Data("gitdir: elsewhere\n".utf8).write(to: repo.appendingPathComponent(".git"))
        let file = repo.appendingPathComponent("policies/packs/cis.yml")
        for here in [repo, repo.appendingPathComponent("policies"), URL(fileURLWithPath: "/")] {
            #expect(SourceRoot.relativePath(of: file, workingDirectory: here) == "policies/packs/cis.yml", "from \(here.path)")
        }
        let spelledWithDots = URL(fileURLWithPath: repo.path + "/policies/packs/../packs/./cis.yml")
        #expect(SourceRoot.relativePath(of: spelledWithDots, workingDirectory: repo) == "policies/packs/cis.yml")
    }

    @Test func outsideACheckoutItIsTheWorkingDirectoryElseTheFilesOwnFolder() throws {
        let dir = try Self.folder("plain")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("policies/packs/cis.yml")
        #expect(SourceRoot.relativePath(of: file, workingDirectory: dir) == "policies/packs/cis.yml")
        #expect(SourceRoot.relativePath(of: file, workingDirectory: dir.appendingPathComponent("elsewhere")) == "cis.yml")
    }

    @Test func storedNamesStayRelativeAndAbsoluteOnesLoseTheirFolder() {
        #expect(SourceRoot.relativePath(stored: "policies/baseline.yml") == "policies/baseline.yml")
        #expect(SourceRoot.relativePath(stored: "./policies/baseline.yml") == "policies/baseline.yml")
        #expect(!SourceRoot.relativePath(stored: "/nonexistent-\(UUID().uuidString)/p.yml").hasPrefix("/"))
    }

    @Test func loadedPoliciesCarryTheRootRelativePathAndErrorsThePathAsTyped() throws {
        let dir = try Self.folder("loaded")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("gitdir: elsewhere\n".utf8).write(to: dir.appendingPathComponent(".git"))
        let file = dir.appendingPathComponent("policies/packs/p.yml")
        try Data("policies:\n  - id: p\n    check: virtualization-type\n    severity: low\n    params: { allowed: [hvm] }\n".utf8).write(to: file)
        let loaded = try PolicyLoader.loadKeepingText(files: [file])
        #expect(loaded.set.policies.first?.sourceFile == "policies/packs/p.yml")
        #expect(loaded.sources.first?.rootRelativePath == "policies/packs/p.yml")
        // Reloaded from a stored scan, the stored path wins over the file's name.
        let again = try PolicyLoader.load(loaded.sources)
        #expect(again.policies.first?.sourceFile == "policies/packs/p.yml")

        try Data("policies:\n  - id: p\n    check: no-such-check\n    severity: low\n".utf8).write(to: file)
        let error = #expect(throws: PolicyLoadError.self) { try PolicyLoader.load(files: [file]) }
        #expect(error?.description.contains(file.path) == true, "errors name the file as typed: \(error?.description ?? "")")
    }
}
