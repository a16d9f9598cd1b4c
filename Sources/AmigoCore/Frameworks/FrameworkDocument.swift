import Yams

/// One framework file being read: the framework it describes, if valid, and every error it
/// finds, each at the offending node. Policy ids are checked against `knownPolicies` (the
/// bundled packs): a control evidenced by a policy that does not exist would never be judged.
struct FrameworkDocument {
    let file: String
    let knownPolicies: Set<String>
    var errors: [PolicyError] = []
    var framework: Framework?
    var idMark: Mark?

    static let topLevelKeys = ["id", "name", "version", "document", "url", "controls"]
    static let controlKeys = ["id", "title", "section", "url", "policies", "manual", "note"]

    init(file: String, knownPolicies: Set<String>) { self.file = file; self.knownPolicies = knownPolicies }

    mutating func read(_ text: String) {
        let root: Node?
        switch YAMLInput.compose(text, file: file) {
        case .success(let node): root = node
        case .failure(let error): errors.append(error); return
        }
        guard let root, !root.isNull, let top = root.mapping else {
            fail("a framework file must be a mapping with id, name, version, document, url and controls", at: root)
            return
        }
        errors += YAMLInput.duplicateKeys(in: root, file: file)
        rejectUnknownKeys(top, allowed: Self.topLevelKeys, in: "the framework file")
        let errorCount = errors.count
        let id = field(top, "id", required: true, at: root)
        if let id, !Self.isFrameworkId(id) {
            fail("framework id '\(id)' must be lowercase letters, digits, dots and single hyphens, e.g. cis-compute-1.0", at: top["id"])
        }
        idMark = top["id"]?.mark
        let name = field(top, "name", required: true, at: root)
        let version = field(top, "version", required: true, at: root)
        let document = field(top, "document", required: true, at: root)
        let url = field(top, "url", required: true, at: root)
        var controls: [FrameworkControl] = []
        if let list = top["controls"], !list.isNull {
            if let items = list.sequence {
                var first: [String: Mark] = [:]
                for item in items {
                    guard let control = readControl(item) else { continue }
                    if let earlier = first[control.id], let mark = item.mapping?["id"]?.mark {
                        errors.append(PolicyError(file: file, line: mark.line, column: mark.column,
                            message: "duplicate control id '\(control.id)'; it is first given at \(file):\(earlier.line):\(earlier.column)"))
                    } else if let mark = item.mapping?["id"]?.mark {
                        first[control.id] = mark
                    }
                    controls.append(control)
                }
                if items.isEmpty { fail("'controls' is empty; a framework needs at least one control", at: list) }
            } else {
                fail("'controls' must be a list of controls", at: list)
            }
        } else {
            fail("the framework file has no 'controls:' list", at: root)
        }
        guard errors.count == errorCount, let id, let name, let version, let document, let url else { return }
        framework = Framework(id: id, name: name, version: version, document: document, url: url,
                              file: file, controls: controls)
    }

    private mutating func readControl(_ node: Node) -> FrameworkControl? {
        guard let m = node.mapping else {
            fail("each control must be a mapping with id, title, section and policies or manual", at: node)
            return nil
        }
        rejectUnknownKeys(m, allowed: Self.controlKeys, in: "a control")
        let errorCount = errors.count
        let id = field(m, "id", required: true, at: node)
        let title = field(m, "title", required: true, at: node)
        let section = field(m, "section", required: true, at: node)
        let url = field(m, "url", required: false, at: node)
        let manual = field(m, "manual", required: false, at: node)
        let note = field(m, "note", required: false, at: node)
        let beforePolicies = errors.count
        let policies = policyList(m["policies"])
        if manual == nil && policies.isEmpty && errors.count == beforePolicies {
            fail("control \(id.map { "'\($0)' " } ?? "")needs 'policies' (the policies that evidence it) or 'manual' (why amigo cannot judge it)",
                 at: m["policies"] ?? node)
        }
        guard errors.count == errorCount, let id, let title, let section else { return nil }
        return FrameworkControl(id: id, title: title, section: section, url: url, policies: policies,
                                manual: manual, note: note)
    }

    /// A list of known policy ids, each at most once.
    private mutating func policyList(_ node: Node?) -> [String] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.sequence else {
            fail("'policies' must be a list of policy ids", at: node)
            return []
        }
        var out: [String] = []
        for item in items {
            guard let id = item.nonEmptyString, item.scalar != nil else {
                fail("'policies' entries must be policy ids", at: item)
                continue
            }
            if !knownPolicies.contains(id) {
                fail("unknown policy '\(id)'; the bundled packs define: \(knownPolicies.sorted().joined(separator: ", "))", at: item)
            } else if out.contains(id) {
                fail("policy '\(id)' is listed twice", at: item)
            } else {
                out.append(id)
            }
        }
        return out
    }

    /// A non-empty text scalar (a number such as `version: 4.0` is its text).
    private mutating func field(_ m: Node.Mapping, _ key: String, required: Bool, at parent: Node) -> String? {
        guard let node = m[key], !node.isNull else {
            if required { fail("missing '\(key)'", at: parent) }
            return nil
        }
        guard node.scalar != nil, let value = node.nonEmptyString else {
            fail("'\(key)' must be non-empty text", at: node)
            return nil
        }
        return value
    }

    private mutating func rejectUnknownKeys(_ m: Node.Mapping, allowed: [String], in place: String) {
        for (key, _) in m {
            let name = key.scalar?.string ?? "?"
            if !allowed.contains(name) {
                fail("unknown key '\(name)' in \(place); expected one of: \(allowed.joined(separator: ", "))", at: key)
            }
        }
    }

    private mutating func fail(_ message: String, at node: Node?) {
        let mark = node?.mark
        errors.append(PolicyError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    static func isFrameworkId(_ s: String) -> Bool {
        let words = s.split(separator: "-", omittingEmptySubsequences: false)
        return !words.isEmpty && words.allSatisfy { word in
            !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." }
        }
    }
}
