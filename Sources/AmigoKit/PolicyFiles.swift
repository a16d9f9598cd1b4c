import AmigoCore
import AmigoReports
import Foundation

/// The policy files of a run, loaded as one set by the core's `PolicyLoader`, with their text
/// kept so a stored scan can be re-evaluated later with exactly the policies it was scanned with.
struct PolicyFiles {
    var set: PolicySet
    /// JSON: `[{"file": …, "text": …}]`, the `PolicySource`s.
    var text: String
    /// SHA-256 of the policy texts in load order, not of where they were read from: the same
    /// policies checked out in another folder (a CI runner's clone) are the same policy set.
    var digest: String

    /// `policies/baseline.yml` here, or the one shipped with amigo.
    static var defaultFile: URL {
        let local = URL(fileURLWithPath: "policies/baseline.yml")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        return BundledFiles.locate("policies/baseline.yml") ?? local
    }

    static func load(_ files: [URL], environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PolicyFiles {
        let maxBytes = try maxFileBytes(environment)
        do {
            let loaded = try PolicyLoader.loadKeepingText(files: files.isEmpty ? [defaultFile] : files, maxFileBytes: maxBytes)
            return try PolicyFiles(set: loaded.set, text: encode(loaded.sources), digest: digest(loaded.sources))
        } catch let error as PolicyLoadError {
            throw UsageError(error.description, located: true)
        }
    }

    static func load(stored json: String) throws -> PolicyFiles {
        let sources: [PolicySource]
        do {
            sources = try JSONDecoder().decode([PolicySource].self, from: Data(json.utf8))
        } catch {
            throw UsageError("the scan's stored policies are unreadable: \(error)")
        }
        do {
            return PolicyFiles(set: try PolicyLoader.load(sources), text: json, digest: digest(sources))
        } catch {
            throw UsageError(error.description, located: true)
        }
    }

    /// `AMIGO_MAX_POLICY_BYTES` overrides the 1 MiB cap on each policy file.
    private static func maxFileBytes(_ environment: [String: String]) throws -> Int {
        let variable = PolicyLoader.maxFileBytesVariable
        guard let text = environment[variable] else { return PolicyLoader.defaultMaxFileBytes }
        guard let bytes = Int(text), bytes > 0 else {
            throw UsageError("\(variable) must be a whole number of bytes greater than 0, got '\(text)'")
        }
        return bytes
    }

    /// Each text length-prefixed, so no two different sets of files hash alike.
    static func digest(_ sources: [PolicySource]) -> String {
        SHA256Digest.hex(sources.map { "\($0.text.utf8.count):\($0.text)" }.joined())
    }

    /// Keys sorted: the stored text must not depend on the process's hash seed.
    private static func encode(_ sources: [PolicySource]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(sources), as: UTF8.self)
    }

    /// The digest of stored policy text, whatever key order and paths it was written with;
    /// nil when it is not policy sources.
    static func digest(stored json: String) -> String? {
        (try? JSONDecoder().decode([PolicySource].self, from: Data(json.utf8))).map(digest)
    }
}
