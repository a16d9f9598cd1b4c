import Foundation

/// Finds the bundled demo organisation: `fixtures/demo-org` under the working directory, or
/// next to the checkout the binary was built in (so `amigo scan --demo` works from anywhere
/// inside the repository).
public enum DemoFixtures {
    public static func locate() throws -> URL {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        for start in candidates {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("fixtures/demo-org")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("index.json").path) {
                    return candidate
                }
                dir.deleteLastPathComponent()
            }
        }
        throw UsageError("cannot find fixtures/demo-org (run from the amigo checkout, or pass --fixtures DIR)")
    }
}
