import AmigoCore
import Foundation

/// Loads policy files and keeps their text, so a stored scan can be re-evaluated later with
/// exactly the policies it was scanned with.
struct PolicyFiles {
    var set: PolicySet
    /// JSON: `[{"file": …, "text": …}]`.
    var text: String

    struct Stored: Codable { var file: String; var text: String }

    /// `policies/baseline.yml` here, or the one shipped with amigo.
    static var defaultFile: URL {
        let local = URL(fileURLWithPath: "policies/baseline.yml")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        return BundledFiles.locate("policies/baseline.yml") ?? local
    }

    static func load(_ files: [URL]) throws -> PolicyFiles {
        let files = files.isEmpty ? [defaultFile] : files
        var stored: [Stored] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw UsageError("cannot read policy file \(file.path)")
            }
            stored.append(Stored(file: displayName(file), text: String(decoding: data, as: UTF8.self)))
        }
        return try parse(stored)
    }

    /// Relative to the working directory when inside it (`policies/baseline.yml`), so errors,
    /// stored scans and SARIF locations name the file as the repository does.
    static func displayName(_ file: URL) -> String {
        let path = file.standardizedFileURL.path
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : file.relativePath
    }

    static func load(stored json: String) throws -> PolicyFiles {
        guard let stored = try? JSONDecoder().decode([Stored].self, from: Data(json.utf8)) else {
            throw UsageError("the scan's stored policies are unreadable")
        }
        return try parse(stored)
    }

    private static func parse(_ stored: [Stored]) throws -> PolicyFiles {
        var policies: [Policy] = []
        var waivers: [Waiver] = []
        var problems: [PolicyError] = []
        var seen: [String: String] = [:]
        for file in stored {
            do {
                let set = try PolicyLoader.load(yaml: file.text, file: file.file)
                for policy in set.policies {
                    if let first = seen[policy.id] {
                        problems.append(PolicyError(file: file.file, line: 1, column: 1, policyId: policy.id,
                                                    message: "duplicate policy id (first defined in \(first))"))
                    }
                    seen[policy.id] = file.file
                }
                policies += set.policies
                waivers += set.waivers
            } catch {
                problems += error.errors
            }
        }
        if !problems.isEmpty {
            throw UsageError(problems.map(\.description).joined(separator: "\n"), located: true)
        }
        let encoded = (try? JSONEncoder().encode(stored)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return PolicyFiles(set: PolicySet(policies: policies, waivers: waivers), text: encoded)
    }
}
