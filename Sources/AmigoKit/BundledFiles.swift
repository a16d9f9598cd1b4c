import Foundation

/// Finds files shipped with amigo (the demo organisation, the policy packs): under the working
/// directory first, then next to the checkout the binary was built in, so `amigo scan --demo`
/// works from anywhere.
public enum BundledFiles {
    public static func locate(_ relativePath: String) -> URL? {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        for start in candidates {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent(relativePath)
                if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
                dir.deleteLastPathComponent()
            }
        }
        return nil
    }

    public static func demoOrganization() throws -> URL {
        guard let index = locate("fixtures/demo-org/index.json") else {
            throw UsageError("cannot find fixtures/demo-org (run from the amigo checkout, or pass --fixtures DIR)")
        }
        return index.deletingLastPathComponent()
    }
}
