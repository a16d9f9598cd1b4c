import Yams

/// The `params:` mapping of one policy, read with typed getters. Every getter error names
/// the file, line, column, policy and key; `finish()` rejects keys the check did not read.
public final class CheckParameters: @unchecked Sendable {
    // Not shared across threads: a check reads it once, in its initializer.
    public let policyId: String
    public let file: String
    private let mapping: Node.Mapping?
    private let anchor: Mark?
    /// Where errors about absent parameters point when the policy has no `params:` at all.
    private let fallback: Mark?
    private var read: Set<String> = []

    public init(policyId: String, file: String, node: Node?, fallback: Mark? = nil) {
        self.policyId = policyId
        self.file = file
        self.mapping = node?.mapping
        self.anchor = node?.mark
        self.fallback = fallback
    }

    /// Parameters from YAML text (`max-days: 90`), for examples and tests.
    public convenience init(yaml: String, policyId: String = "example", file: String = "<example>") throws {
        let node = yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : try Yams.compose(yaml: yaml)
        self.init(policyId: policyId, file: file, node: node)
    }

    public func error(_ message: String, at node: Node? = nil) -> PolicyError {
        let mark = node?.mark ?? anchor ?? fallback
        return PolicyError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                           policyId: policyId.isEmpty ? nil : policyId, message: message)
    }

    private func node(_ key: String) -> Node? {
        read.insert(key)
        return mapping?[key]
    }

    public func has(_ key: String) -> Bool { mapping?[key] != nil }

    public func string(_ key: String) throws -> String? {
        guard let n = node(key) else { return nil }
        guard let s = n.scalar?.string else { throw error("'\(key)' must be a string", at: n) }
        return s
    }

    public func int(_ key: String) throws -> Int? {
        guard let n = node(key) else { return nil }
        guard let s = n.scalar?.string, let v = Int(s) else {
            throw error("'\(key)' must be an integer", at: n)
        }
        return v
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let n = node(key) else { return nil }
        switch n.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("'\(key)' must be true or false", at: n)
        }
    }

    /// A list of strings; a single string is accepted as a one-element list.
    public func strings(_ key: String) throws -> [String]? {
        guard let n = node(key) else { return nil }
        return try Self.strings(n, key: key, owner: self)
    }

    /// A mapping of string keys to lists of strings (`values: { Environment: [prod, dev] }`).
    public func stringLists(_ key: String) throws -> [String: [String]]? {
        guard let n = node(key) else { return nil }
        guard let m = n.mapping else { throw error("'\(key)' must be a mapping", at: n) }
        var out: [String: [String]] = [:]
        for (k, v) in m {
            guard let ks = k.scalar?.string else { throw error("'\(key)' keys must be strings", at: k) }
            out[ks] = try Self.strings(v, key: "\(key).\(ks)", owner: self)
        }
        return out
    }

    /// A mapping of string keys to strings (`patterns: { Owner: '^team-' }`).
    public func stringMap(_ key: String) throws -> [String: String]? {
        guard let n = node(key) else { return nil }
        guard let m = n.mapping else { throw error("'\(key)' must be a mapping", at: n) }
        var out: [String: String] = [:]
        for (k, v) in m {
            guard let ks = k.scalar?.string, let vs = v.scalar?.string else {
                throw error("'\(key)' must map strings to strings", at: v)
            }
            out[ks] = vs
        }
        return out
    }

    /// A value from a fixed set, with the allowed values in the error.
    public func oneOf(_ key: String, _ allowed: [String]) throws -> String? {
        guard let n = node(key) else { return nil }
        guard let s = n.scalar?.string, allowed.contains(s) else {
            throw error("'\(key)' must be one of \(allowed.joined(separator: ", "))", at: n)
        }
        return s
    }

    /// The node of a key, for errors about a value the check validated itself.
    public func location(_ key: String) -> Node? { mapping?[key] }

    /// Call last: a key the check never read is a typo or a parameter of another check.
    public func finish() throws {
        if let anchor = anchor, mapping == nil {
            throw PolicyError(file: file, line: anchor.line, column: anchor.column,
                              policyId: policyId.isEmpty ? nil : policyId,
                              message: "'params' must be a mapping")
        }
        guard let mapping else { return }
        for (k, _) in mapping {
            let name = k.scalar?.string ?? "?"
            if !read.contains(name) {
                let known = read.sorted().joined(separator: ", ")
                throw error("unknown parameter '\(name)'" + (read.isEmpty ? "; this check takes no parameters"
                                                                            : "; known parameters: \(known)"), at: k)
            }
        }
    }

    private static func strings(_ n: Node, key: String, owner: CheckParameters) throws -> [String] {
        if let s = n.scalar?.string { return [s] }
        guard let seq = n.sequence else { throw owner.error("'\(key)' must be a list of strings", at: n) }
        return try seq.map { item in
            guard let s = item.scalar?.string else {
                throw owner.error("'\(key)' must be a list of strings", at: item)
            }
            return s
        }
    }
}
