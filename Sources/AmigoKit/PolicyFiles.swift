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
    /// With `--framework`: the frameworks whose per-control rollup the reports carry.
    var selected: [Framework] = []
    /// The policies taken from the bundled packs because a selected framework needs them.
    var frameworkEnabled: [String] = []

    /// `policies/baseline.yml` here, or the one shipped with amigo.
    static var defaultFile: URL {
        let local = URL(fileURLWithPath: "policies/baseline.yml")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        return BundledFiles.locate("policies/baseline.yml") ?? local
    }

    /// `files` (default: the baseline, or with `frameworks` and no files, none), plus the
    /// policies of the bundled packs that the `frameworks` need and the files lack.
    static func load(_ files: [URL], frameworks ids: [String] = [],
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PolicyFiles {
        let maxBytes = try maxFileBytes(environment)
        let bundled = try FrameworkFiles.load()
        let selected = try bundled.select(ids)
        do {
            let given = !files.isEmpty ? files : selected.isEmpty ? [defaultFile] : []
            let loaded = try PolicyLoader.loadKeepingText(files: given, maxFileBytes: maxBytes)
            let additions = bundled.additions(for: selected, present: Set(loaded.set.policies.map(\.id)))
            let sources = loaded.sources + additions
            var set = additions.isEmpty ? loaded.set : try PolicyLoader.load(sources)
            set.attach(bundled.set)
            return try PolicyFiles(set: set, text: encode(sources), digest: digest(sources), selected: selected,
                                   frameworkEnabled: additions.flatMap { $0.only ?? [] })
        } catch let error as PolicyLoadError {
            throw UsageError(error.description, located: true)
        }
    }

    /// A scan's stored policies, with the rollups of `frameworks` (`amigo report --framework`).
    static func load(stored json: String, frameworks ids: [String] = []) throws -> PolicyFiles {
        let sources = try storedSources(json)
        let bundled = try FrameworkFiles.load()
        let selected = try bundled.select(ids)
        var set = try storedSet(sources)
        set.attach(bundled.set)
        return PolicyFiles(set: set, text: json, digest: digest(sources), selected: selected,
                           frameworkEnabled: sources.flatMap { $0.only ?? [] })
    }

    /// A scan's stored policies alone, without the bundled frameworks: enough to know what
    /// the scan collected (its data needs), which is all some callers ask.
    static func storedPolicies(_ json: String) throws -> PolicySet {
        try storedSet(try storedSources(json))
    }

    private static func storedSources(_ json: String) throws -> [PolicySource] {
        do {
            return try JSONDecoder().decode([PolicySource].self, from: Data(json.utf8))
        } catch {
            throw UsageError("the scan's stored policies are unreadable: \(error)")
        }
    }

    private static func storedSet(_ sources: [PolicySource]) throws -> PolicySet {
        do { return try PolicyLoader.load(sources, stored: true) } catch {
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

    /// Each text length-prefixed, so no two different sets of files hash alike; a pack of which
    /// `--framework` took some policies counts with the ids it took.
    static func digest(_ sources: [PolicySource]) -> String {
        SHA256Digest.hex(sources.map { source in
            let only = source.only.map { ids in "only \(ids.count):" + ids.map { "\($0.utf8.count):\($0)" }.joined() } ?? ""
            return "\(source.text.utf8.count):\(source.text)" + only
        }.joined())
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
