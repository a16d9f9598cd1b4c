import Foundation

/// Finds the files shipped with amigo (the demo organisation, the policy packs, framework
/// files) from where the binary is, never from the working directory: `AMIGO_DATA_DIR` if set,
/// else `../share/amigo` (an installed or unpacked package), else beside the binary, else the
/// source checkout the binary was built in (`.build/<triple>/<config>/amigo`).
public enum BundledFiles {
    public enum Origin: String, Sendable {
        case environment = "AMIGO_DATA_DIR"
        case share = "../share/amigo beside the binary's folder"
        case besideBinary = "the binary's folder"
        case checkout = "the source checkout the binary was built in"
    }

    public struct DataDirectory: Sendable {
        public var url: URL
        public var origin: Origin
    }

    /// The file that marks a data directory (every package ships the default policies).
    static let marker = "policies/baseline.yml"

    public static func dataDirectory(environment env: [String: String] = ProcessInfo.processInfo.environment,
                                     executable: URL? = Bundle.main.executableURL) -> DataDirectory? {
        if let dir = env["AMIGO_DATA_DIR"], !dir.isEmpty {
            return DataDirectory(url: URL(fileURLWithPath: dir).standardizedFileURL, origin: .environment)
        }
        guard let binDir = executable?.resolvingSymlinksInPath().deletingLastPathComponent() else { return nil }
        let candidates: [(URL, Origin)] = [
            (binDir.deletingLastPathComponent().appendingPathComponent("share/amigo"), .share),
            (binDir, .besideBinary),
        ]
        for (dir, origin) in candidates where exists(dir, marker) {
            return DataDirectory(url: dir.standardizedFileURL, origin: origin)
        }
        var dir = binDir
        for _ in 0..<4 {
            dir.deleteLastPathComponent()
            if exists(dir, "Package.swift") && exists(dir, marker) {
                return DataDirectory(url: dir.standardizedFileURL, origin: .checkout)
            }
        }
        return nil
    }

    public static func locate(_ relativePath: String) -> URL? {
        guard let data = dataDirectory() else { return nil }
        let candidate = data.url.appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
    }

    public static func demoOrganization() throws -> URL {
        guard let index = locate("fixtures/demo-org/index.json") else {
            throw UsageError("cannot find the demo organisation (fixtures/demo-org) in \(describeSearch()); "
                             + "set AMIGO_DATA_DIR to the folder holding it, or pass --fixtures DIR")
        }
        return index.deletingLastPathComponent()
    }

    /// What `amigo version --verbose` prints: the binary, the data directory and why, and
    /// each bundled file found there.
    public static func report() -> String {
        var lines = ["amigo \(AmigoVersion.current)",
                     "binary: \(Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? "unknown")"]
        guard let data = dataDirectory() else {
            lines.append("data directory: none found (\(describeSearch()))")
            return lines.joined(separator: "\n")
        }
        lines.append("data directory: \(data.url.path) (from \(data.origin.rawValue))")
        for (label, path) in [("default policies", "policies/baseline.yml"), ("guardrails pack", "policies/guardrails.yml"),
                              ("frameworks", "policies/frameworks"), ("demo organisation", "fixtures/demo-org")] {
            let url = data.url.appendingPathComponent(path)
            lines.append("\(label): \(FileManager.default.fileExists(atPath: url.path) ? url.path : "not bundled")")
        }
        return lines.joined(separator: "\n")
    }

    static func describeSearch() -> String {
        "AMIGO_DATA_DIR, ../share/amigo and the folder of \(Bundle.main.executableURL?.path ?? "the binary")"
    }

    private static func exists(_ dir: URL, _ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: dir.appendingPathComponent(relative).path)
    }
}
