import Foundation
import Yams

/// Every problem found in a set of policy files, not just the first, so one run of
/// `amigo policies validate` (or a CI job) shows all of them.
public struct PolicyLoadError: Error, Sendable, CustomStringConvertible {
    public var errors: [PolicyError]
    public init(errors: [PolicyError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// One policy file's name, as errors and reports show it, and its text: what a stored scan
/// keeps so it can be evaluated again with exactly the policies it was scanned with.
public struct PolicySource: Codable, Sendable, Hashable {
    public var file: String
    /// `file` relative to its `SourceRoot`, what SARIF locates findings by; nil in scans
    /// stored before it was kept.
    public var rootRelativePath: String?
    public var text: String
    /// Only these policies of the file are enabled (what `--framework` takes from a bundled
    /// pack); nil: all of them.
    public var only: [String]?
    public init(file: String, rootRelativePath: String? = nil, text: String, only: [String]? = nil) {
        self.file = file; self.rootRelativePath = rootRelativePath; self.text = text; self.only = only
    }
}

/// Reads policy files (design.md "Policy files") into a `PolicySet`. Policy ids are unique
/// across all files loaded together, and a waiver may name a policy from another file: the
/// files are one set, so every caller loads them together, here.
public enum PolicyLoader {
    /// 1 MiB: the largest policy pack in use is a few kilobytes.
    public static let defaultMaxFileBytes = 1 << 20
    /// The environment variable the command line reads to change `defaultMaxFileBytes`.
    public static let maxFileBytesVariable = "AMIGO_MAX_POLICY_BYTES"

    public static func load(files: [URL], maxFileBytes: Int = defaultMaxFileBytes) throws(PolicyLoadError) -> PolicySet {
        try loadKeepingText(files: files, maxFileBytes: maxFileBytes).set
    }

    /// The set and the text it was read from.
    public static func loadKeepingText(files: [URL], maxFileBytes: Int = defaultMaxFileBytes)
        throws(PolicyLoadError) -> (set: PolicySet, sources: [PolicySource]) {
        let texts = files.map { url in
            let file = displayName(url)
            return (file, SourceRoot.relativePath(of: url), YAMLInput.read(url, file: file, maxBytes: maxFileBytes)
                .flatMap { YAMLInput.decode($0, file: file) }, nil as [String]?)
        }
        let set = try load(texts)
        // Loaded, so every file was read.
        return (set, texts.compactMap { file, rootPath, text, _ in
            if case .success(let text) = text { PolicySource(file: file, rootRelativePath: rootPath, text: text) } else { nil }
        })
    }

    /// `stored`: text a scan stored, perhaps by an amigo that still read `frameworks:` in policy
    /// files; that key is ignored there, so such scans can still be rendered.
    public static func load(_ sources: [PolicySource], stored: Bool = false) throws(PolicyLoadError) -> PolicySet {
        try load(sources.map { ($0.file, $0.rootRelativePath ?? SourceRoot.relativePath(stored: $0.file), .success($0.text), $0.only) },
                 stored: stored)
    }

    public static func load(yaml: String, file: String) throws(PolicyLoadError) -> PolicySet {
        try load([PolicySource(file: file, text: yaml)])
    }

    /// Relative to the working directory when inside it (`policies/baseline.yml`), so errors,
    /// stored scans and SARIF locations name the file as the repository does.
    public static func displayName(_ file: URL) -> String {
        let path = file.standardizedFileURL.path
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : file.relativePath
    }

    private static func load(_ sources: [(file: String, rootPath: String, text: Result<String, PolicyError>, only: [String]?)],
                             stored: Bool = false) throws(PolicyLoadError) -> PolicySet {
        var errors: [PolicyError] = []
        var documents: [PolicyDocument] = []
        for source in sources {
            let text: String
            switch source.text {
            case .success(let t): text = t
            case .failure(let error): errors.append(error); continue
            }
            var document = PolicyDocument(file: source.file, rootRelativePath: source.rootPath)
            document.ignoresFrameworksKey = stored
            document.read(text)
            if let only = source.only { errors += document.keepOnly(only) }
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
