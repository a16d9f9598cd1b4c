import Foundation

/// Reads framework files into a `FrameworkSet`: all of them together, so framework ids are
/// unique across files, and every error of every file is reported at once.
public enum FrameworkLoader {
    /// Every `*.yml` file of `directory`, in name order.
    public static func load(directory: URL, knownPolicies: Set<String>,
                            maxFileBytes: Int = PolicyLoader.defaultMaxFileBytes) throws(PolicyLoadError) -> FrameworkSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw PolicyLoadError(errors: [PolicyError(file: PolicyLoader.displayName(directory), line: 1, column: 1,
                                                       message: "cannot read the frameworks folder: \(error.localizedDescription)")])
        }
        return try load(files: names.map { directory.appendingPathComponent($0) }, knownPolicies: knownPolicies,
                        maxFileBytes: maxFileBytes)
    }

    public static func load(files: [URL], knownPolicies: Set<String>,
                            maxFileBytes: Int = PolicyLoader.defaultMaxFileBytes) throws(PolicyLoadError) -> FrameworkSet {
        try load(files.map { url in
            let file = PolicyLoader.displayName(url)
            return (file, YAMLInput.read(url, file: file, maxBytes: maxFileBytes).flatMap { YAMLInput.decode($0, file: file) })
        }, knownPolicies: knownPolicies)
    }

    public static func load(yaml: String, file: String, knownPolicies: Set<String>) throws(PolicyLoadError) -> FrameworkSet {
        try load([(file, .success(yaml))], knownPolicies: knownPolicies)
    }

    private static func load(_ sources: [(file: String, text: Result<String, PolicyError>)],
                             knownPolicies: Set<String>) throws(PolicyLoadError) -> FrameworkSet {
        var errors: [PolicyError] = []
        var frameworks: [Framework] = []
        var first: [String: String] = [:]
        for source in sources {
            let text: String
            switch source.text {
            case .success(let t): text = t
            case .failure(let error): errors.append(error); continue
            }
            var document = FrameworkDocument(file: source.file, knownPolicies: knownPolicies)
            document.read(text)
            errors += document.errors
            guard let framework = document.framework else { continue }
            if let place = first[framework.id] {
                errors.append(PolicyError(file: source.file, line: document.idMark?.line ?? 1, column: document.idMark?.column ?? 1,
                                          message: "duplicate framework id '\(framework.id)'; it is first defined at \(place)"))
                continue
            }
            first[framework.id] = "\(source.file):\(document.idMark?.line ?? 1):\(document.idMark?.column ?? 1)"
            frameworks.append(framework)
        }
        guard errors.isEmpty else { throw PolicyLoadError(errors: errors) }
        return FrameworkSet(frameworks: frameworks)
    }
}
