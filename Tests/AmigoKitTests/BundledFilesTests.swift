import AmigoKit
import Foundation
import Testing

/// Where the bundled files are looked for: from the binary's location, never the working
/// directory (`cd` into a checkout must not change which demo or policies a binary uses).
struct BundledFilesTests {
    /// `root/bin/amigo` with data in `root/<dataPath>` (nil: none).
    static func layout(dataAt dataPath: String?) throws -> (binary: URL, data: URL?) {
        let root = try temporaryDirectory("layout")
        let binary = root.appendingPathComponent("bin/amigo")
        try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data().write(to: binary)
        guard let dataPath else { return (binary, nil) }
        let data = root.appendingPathComponent(dataPath)
        try FileManager.default.createDirectory(at: data.appendingPathComponent("policies"), withIntermediateDirectories: true)
        try Data("policies: []\n".utf8).write(to: data.appendingPathComponent("policies/baseline.yml"))
        return (binary, data)
    }

    @Test func shareBesideTheBinaryFolderComesFirst() throws {
        let (binary, data) = try Self.layout(dataAt: "share/amigo")
        let found = try #require(BundledFiles.dataDirectory(environment: [:], executable: binary))
        #expect(found.url.path == data?.standardizedFileURL.path)
        #expect(found.origin == .share)
    }

    @Test func theBinarysOwnFolderIsNext() throws {
        let (binary, _) = try Self.layout(dataAt: "bin")
        #expect(BundledFiles.dataDirectory(environment: [:], executable: binary)?.origin == .besideBinary)
    }

    @Test func AMIGO_DATA_DIRWinsAndTheWorkingDirectoryNeverCounts() throws {
        let (binary, _) = try Self.layout(dataAt: "share/amigo")
        let found = BundledFiles.dataDirectory(environment: ["AMIGO_DATA_DIR": "/opt/amigo-data"], executable: binary)
        #expect(found?.url.path == "/opt/amigo-data" && found?.origin == .environment)
        // The tests run inside a checkout: a binary elsewhere must still find nothing.
        let (lonely, _) = try Self.layout(dataAt: nil)
        #expect(FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/policies/baseline.yml"))
        #expect(BundledFiles.dataDirectory(environment: [:], executable: lonely) == nil)
    }
}
