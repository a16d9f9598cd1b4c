import Foundation
import Yams

/// One policy file being read: collects every policy and waiver it can build and every
/// error it finds, each located at the offending node.
struct PolicyDocument {
    let file: String
    /// Where SARIF locates the file's policies (`SourceRoot`); errors name `file`, as typed.
    let rootRelativePath: String
    var errors: [PolicyError] = []
    var policies: [(policy: Policy, idMark: Mark?)] = []
    var waivers: [Waiver] = []
    /// Every policy id written in the file, valid policy or not, for cross-file duplicate checks.
    var declaredIds: [(id: String, mark: Mark?)] = []
    /// Every policy a waiver names, valid waiver or not, to check that the policy exists.
    var waiverReferences: [(policy: String, mark: Mark?)] = []

    static let topLevelKeys = ["policies", "waivers"]
    static let policyKeys = ["id", "check", "severity", "description", "params", "scope"]
    /// Set for text a scan stored: amigo once read framework mappings from policy files.
    var ignoresFrameworksKey = false
    static let scopeKeys = ["accounts", "regions", "name"]
    static let severities = Severity.allCases.reversed().map(\.rawValue)

    init(file: String, rootRelativePath: String) { self.file = file; self.rootRelativePath = rootRelativePath }

    mutating func read(_ text: String) {
        let root: Node?
        switch YAMLInput.compose(text, file: file) {
        case .success(let node): root = node
        case .failure(let error): errors.append(error); return
        }
        guard let root, !root.isNull else {
            fail("the policy file is empty; expected a 'policies:' list", at: nil)
            return
        }
        errors += YAMLInput.duplicateKeys(in: root, file: file)
        guard let top = root.mapping else {
            fail("a policy file must be a mapping with 'policies:' (and optionally 'waivers:')", at: root)
            return
        }
        for (key, _) in top {
            let name = key.scalar?.string ?? "?"
            if !Self.topLevelKeys.contains(name) {
                fail("unknown top-level key '\(name)'; expected one of: policies, waivers", at: key)
            }
        }
        if top["policies"] == nil && top["waivers"] == nil {
            fail("the policy file has no 'policies:' list", at: root)
        }
        if let list = top["policies"], !list.isNull {
            if let items = list.sequence {
                for item in items { readPolicy(item) }
            } else {
                fail("'policies' must be a list of policies", at: list)
            }
        }
        if let list = top["waivers"], !list.isNull {
            if let items = list.sequence {
                for item in items { readWaiver(item) }
            } else {
                fail("'waivers' must be a list of waivers", at: list)
            }
        }
    }

    mutating func fail(_ message: String, at node: Node?, policy: String? = nil) {
        let mark = node?.mark
        errors.append(PolicyError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                  policyId: policy, message: message))
    }

    private mutating func readPolicy(_ node: Node) {
        guard let m = node.mapping else {
            fail("each policy must be a mapping with 'id', 'check' and 'severity'", at: node)
            return
        }
        let errorCount = errors.count
        var id: String?
        if let idNode = m["id"] {
            if let s = idNode.nonEmptyString {
                id = s
                declaredIds.append((s, idNode.mark))
                if !Self.isKebabCase(s) {
                    fail("id '\(s)' must be kebab-case: lowercase letters and digits separated by single hyphens, e.g. ami-not-public",
                         at: idNode)
                }
            } else {
                fail("'id' must be a non-empty string", at: idNode)
            }
        } else {
            fail("policy is missing 'id'", at: node)
        }
        for (key, _) in m {
            let name = key.scalar?.string ?? "?"
            if name == "frameworks" {
                if !ignoresFrameworksKey {
                    fail("'frameworks' is not set in policy files: framework files map controls to policies (policies/frameworks/*.yml; `amigo frameworks show ID`)",
                         at: key, policy: id)
                }
            } else if !Self.policyKeys.contains(name) {
                fail("unknown key '\(name)' in policy; expected one of: \(Self.policyKeys.joined(separator: ", "))",
                     at: key, policy: id)
            }
        }

        var checkType: (any Check.Type)?
        if let checkNode = m["check"] {
            let name = checkNode.nonEmptyString ?? ""
            checkType = CheckRegistry.type(for: name)
            if checkType == nil {
                let known = CheckRegistry.ids.joined(separator: ", ")
                fail("unknown check '\(name)'; known checks: \(known)", at: checkNode, policy: id)
            }
        } else {
            fail("policy is missing 'check'", at: node, policy: id)
        }

        var severity: Severity?
        if let severityNode = m["severity"] {
            let name = severityNode.nonEmptyString ?? ""
            severity = Severity(rawValue: name)
            if severity == nil {
                fail("unknown severity '\(name)'; allowed: \(Self.severities.joined(separator: ", "))",
                     at: severityNode, policy: id)
            }
        } else {
            fail("policy is missing 'severity'", at: node, policy: id)
        }

        var description: String?
        if let d = m["description"], !d.isNull {
            if let s = d.scalar?.string { description = s } else { fail("'description' must be a string", at: d, policy: id) }
        }
        let scope = readScope(m["scope"], policy: id)

        if let checkType, checkType.resourceType != Image.resourceType {
            rejectNameScope(m["scope"], check: checkType.descriptor.id, policy: id)
        }

        var check: (any Check)?
        if let checkType {
            let paramsNode = m["params"].flatMap { $0.isNull ? nil : $0 }
            if let paramsNode, paramsNode.mapping == nil {
                fail("'params' must be a mapping", at: paramsNode, policy: id)
            } else {
                let parameters = CheckParameters(policyId: id ?? "", file: file, node: paramsNode,
                                                 fallback: node.mark)
                do {
                    check = try checkType.init(parameters: parameters)
                } catch let error as PolicyError {
                    errors.append(error)
                } catch {
                    fail("invalid parameters: \(error)", at: paramsNode ?? node, policy: id)
                }
            }
        }

        guard let id, errors.count == errorCount, let severity, let check else { return }
        var policy = Policy(id: id, severity: severity, description: description, scope: scope, check: check)
        policy.sourceFile = rootRelativePath
        policy.sourceLine = node.mark?.line
        policies.append((policy, m["id"]?.mark))
    }

    /// Keeps only the policies `ids` names (`PolicySource.only`); an id the file lacks is an error.
    mutating func keepOnly(_ ids: [String]) -> [PolicyError] {
        let wanted = Set(ids)
        policies = policies.filter { wanted.contains($0.policy.id) }
        declaredIds = declaredIds.filter { wanted.contains($0.id) }
        let present = Set(policies.map(\.policy.id))
        return ids.filter { !present.contains($0) }.map {
            PolicyError(file: file, line: 1, column: 1, policyId: $0, message: "the file defines no valid policy with this id")
        }
    }

    /// Only images have a name to match: a region check judges an account×region.
    private mutating func rejectNameScope(_ scope: Node?, check: String, policy: String?) {
        guard let scope = scope?.mapping else { return }
        for (key, _) in scope where key.scalar?.string == "name" {
            fail("'scope.name' does not apply to region check '\(check)': it judges an account×region, not images; scope it with 'accounts' and 'regions' only",
                 at: key, policy: policy)
        }
    }

    private mutating func readScope(_ node: Node?, policy: String?) -> Scope {
        guard let node, !node.isNull else { return .everything }
        guard let m = node.mapping else {
            fail("'scope' must be a mapping with accounts, regions and/or name", at: node, policy: policy)
            return .everything
        }
        for (key, _) in m {
            let name = key.scalar?.string ?? "?"
            if !Self.scopeKeys.contains(name) {
                fail("unknown key '\(name)' in scope; expected one of: \(Self.scopeKeys.joined(separator: ", "))",
                     at: key, policy: policy)
            }
        }
        return Scope(accounts: strings(m["accounts"], key: "scope.accounts", policy: policy),
                     regions: strings(m["regions"], key: "scope.regions", policy: policy),
                     names: strings(m["name"], key: "scope.name", policy: policy))
    }

    /// A string or a list of strings; absent or null is an empty list.
    mutating func strings(_ node: Node?, key: String, policy: String?) -> [String] {
        guard let node, !node.isNull else { return [] }
        if let s = node.scalar?.string { return [s] }
        guard let items = node.sequence else {
            fail("'\(key)' must be a string or a list of strings", at: node, policy: policy)
            return []
        }
        var out: [String] = []
        for item in items {
            if let s = item.scalar?.string { out.append(s) } else {
                fail("'\(key)' must be a string or a list of strings", at: item, policy: policy)
            }
        }
        return out
    }

    static func isKebabCase(_ s: String) -> Bool {
        let words = s.split(separator: "-", omittingEmptySubsequences: false)
        return !words.isEmpty && words.allSatisfy { word in
            !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }

    static func syntaxError(_ error: any Error, file: String) -> PolicyError {
        switch error as? YamlError {
        case let .scanner(context, problem, mark, _)?, let .parser(context, problem, mark, _)?,
             let .composer(context, problem, mark, _)?:
            let while_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return PolicyError(file: file, line: mark.line, column: mark.column,
                               message: "invalid YAML: \(problem)\(while_)")
        default:
            return PolicyError(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }
}

extension Node {
    var isNull: Bool {
        guard let scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    var nonEmptyString: String? {
        guard let s = scalar?.string, !isNull, !s.isEmpty else { return nil }
        return s
    }
}
