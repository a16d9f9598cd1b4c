import Foundation
import Yams

/// Every problem found in a set of policy files, not just the first, so one run of
/// `amigo policies validate` (or a CI job) shows all of them.
public struct PolicyLoadError: Error, Sendable, CustomStringConvertible {
    public var errors: [PolicyError]
    public init(errors: [PolicyError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Reads policy files (design.md "Policy files") into a `PolicySet`. Policy ids are unique
/// across all files loaded together, and a waiver may name a policy from another file.
public enum PolicyLoader {
    public static func load(files: [URL]) throws(PolicyLoadError) -> PolicySet {
        var sources: [(file: String, text: String?)] = []
        for url in files {
            sources.append((url.relativePath, try? String(contentsOf: url, encoding: .utf8)))
        }
        return try load(sources)
    }

    public static func load(yaml: String, file: String) throws(PolicyLoadError) -> PolicySet {
        try load([(file, yaml)])
    }

    private static func load(_ sources: [(file: String, text: String?)]) throws(PolicyLoadError) -> PolicySet {
        var errors: [PolicyError] = []
        var documents: [PolicyDocument] = []
        for source in sources {
            guard let text = source.text else {
                errors.append(PolicyError(file: source.file, line: 1, column: 1,
                                          message: "cannot read the policy file (missing, unreadable or not UTF-8)"))
                continue
            }
            var document = PolicyDocument(file: source.file)
            document.read(text)
            errors += document.errors
            documents.append(document)
        }
        var firstDefinition: [String: (file: String, mark: Mark?)] = [:]
        for document in documents {
            for (id, mark) in document.declaredIds {
                if let first = firstDefinition[id] {
                    let place = first.mark.map { "\(first.file):\($0.line):\($0.column)" } ?? first.file
                    errors.append(PolicyError(file: document.file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                              policyId: id, message: "duplicate policy id; it is first defined at \(place)"))
                } else {
                    firstDefinition[id] = (document.file, mark)
                }
            }
        }
        // After every file's ids are known: a waiver may name a policy from another file.
        for document in documents {
            for (name, mark) in document.waiverReferences where name != "*" && firstDefinition[name] == nil {
                let known = firstDefinition.keys.sorted().joined(separator: ", ")
                errors.append(PolicyError(file: document.file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                          message: "waiver names unknown policy '\(name)'"
                                            + (known.isEmpty ? "" : "; known policies: \(known)")))
            }
        }
        guard errors.isEmpty else {
            let order = Dictionary(sources.enumerated().map { ($1.file, $0) }, uniquingKeysWith: { a, _ in a })
            let sorted = errors.enumerated().sorted { a, b in
                let ka = (order[a.element.file] ?? 0, a.element.line, a.element.column, a.offset)
                let kb = (order[b.element.file] ?? 0, b.element.line, b.element.column, b.offset)
                return ka < kb
            }
            throw PolicyLoadError(errors: sorted.map(\.element))
        }
        return PolicySet(policies: documents.flatMap { $0.policies.map(\.policy) },
                         waivers: documents.flatMap(\.waivers))
    }
}
