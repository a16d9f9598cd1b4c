import AmigoCore
import Foundation

/// The bundled framework files (`policies/frameworks/*.yml` of the data directory) and the
/// bundled policy packs (`policies/*.yml`) their controls' policies come from.
struct FrameworkFiles {
    var set: FrameworkSet
    /// Each bundled pack's text, and the ids of its policies in file order.
    var packs: [(source: PolicySource, ids: [String])]

    /// Nothing bundled (no data directory): no framework is known, and policies map to none.
    static let none = FrameworkFiles(set: FrameworkSet(frameworks: []), packs: [])

    static func load(dataDirectory: URL? = BundledFiles.dataDirectory()?.url) throws -> FrameworkFiles {
        guard let dataDirectory else { return .none }
        let policies = dataDirectory.appendingPathComponent("policies")
        let frameworks = policies.appendingPathComponent("frameworks")
        guard FileManager.default.fileExists(atPath: frameworks.path) else { return .none }
        // Unreadable packs must not look like packs without policies: every control would
        // then say "not evaluated" for a reason nobody could see.
        let packFiles: [URL]
        do {
            packFiles = try FileManager.default.contentsOfDirectory(atPath: policies.path)
                .filter { $0.hasSuffix(".yml") }.sorted().map { policies.appendingPathComponent($0) }
        } catch {
            throw UsageError("cannot list the bundled policy packs in \(policies.path): \(error.localizedDescription)")
        }
        do {
            let loaded = try PolicyLoader.loadKeepingText(files: packFiles)
            let packs = loaded.sources.map { source in
                (source, loaded.set.policies.filter { $0.sourceFile == (source.rootRelativePath ?? source.file) }.map(\.id))
            }
            let set = try FrameworkLoader.load(directory: frameworks,
                                               knownPolicies: Set(loaded.set.policies.map(\.id)))
            return FrameworkFiles(set: set, packs: packs)
        } catch {
            throw UsageError(error.description, located: true)
        }
    }

    /// The frameworks `ids` names, in that order; an unknown id is a usage error naming the known ones.
    func select(_ ids: [String]) throws -> [Framework] {
        try ids.map { id in
            guard let framework = set.framework(id) else {
                let known = set.ids.isEmpty ? "no framework files were found (\(BundledFiles.describeSearch()))"
                    : "known: \(set.ids.joined(separator: ", ")) (`amigo frameworks list`)"
                throw UsageError("unknown framework '\(id)'; \(known)")
            }
            return framework
        }
    }

    /// The pack sources that add the policies `frameworks` need and `present` lacks, each
    /// restricted to those policies (`PolicySource.only`).
    func additions(for frameworks: [Framework], present: Set<String>) -> [PolicySource] {
        let needed = Set(frameworks.flatMap(\.requiredPolicies)).subtracting(present)
        return packs.compactMap { pack in
            let ids = pack.ids.filter(needed.contains)
            return ids.isEmpty ? nil : PolicySource(file: pack.source.file, rootRelativePath: pack.source.rootRelativePath,
                                                text: pack.source.text, only: ids)
        }
    }
}

extension PolicyFiles {
    /// The rollup of each selected framework over `report`.
    func rollups(_ report: Report) -> [FrameworkRollup] {
        let scopes = Dictionary(set.policies.map { ($0.id, $0.scope) }, uniquingKeysWith: { first, _ in first })
        return selected.map { framework in
            FrameworkRollup(framework: framework, report: report, scopes: scopes,
                            enabledPolicies: framework.requiredPolicies.filter(frameworkEnabled.contains))
        }
    }
}
