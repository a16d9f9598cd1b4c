/// A compliance framework as amigo maps it (policies/frameworks/*.yml): its controls, each
/// evidenced by policies or judged by a person. The framework files are the one place a policy
/// is tied to a control; `Policy.frameworks` is derived from them.
public struct Framework: Sendable, Hashable {
    public var id: String
    public var name: String
    public var version: String
    /// The document the control ids and titles come from, and where to get it.
    public var document: String
    public var url: String
    /// The framework file, as errors name it.
    public var file: String
    public var controls: [FrameworkControl]

    public init(id: String, name: String, version: String, document: String, url: String, file: String,
                controls: [FrameworkControl]) {
        self.id = id; self.name = name; self.version = version; self.document = document
        self.url = url; self.file = file; self.controls = controls
    }

    /// Every policy a control needs judged: what `--framework` enables. A manual control's
    /// policies are left to the user, who enables them to have the control judged.
    public var requiredPolicies: [String] {
        var seen: Set<String> = []
        return controls.filter { $0.manual == nil }.flatMap(\.policies).filter { seen.insert($0).inserted }
    }
}

public struct FrameworkControl: Sendable, Hashable {
    public var id: String
    public var title: String
    /// Where in the framework's document the control is (`2.1.2`, `45 CFR 164.312(a)(1)`).
    public var section: String
    /// A page for this control; nil: the framework's `url`.
    public var url: String?
    /// The policies whose results evidence the control.
    public var policies: [String]
    /// Why amigo cannot judge the control by itself; nil for a control its policies judge. A
    /// manual control whose policies are enabled is judged by them.
    public var manual: String?
    /// How the policies evidence the control, when that needs saying (partial evidence, a scope).
    public var note: String?

    public init(id: String, title: String, section: String, url: String?, policies: [String],
                manual: String?, note: String?) {
        self.id = id; self.title = title; self.section = section; self.url = url
        self.policies = policies; self.manual = manual; self.note = note
    }
}

/// Every framework loaded together, in id order.
public struct FrameworkSet: Sendable {
    public var frameworks: [Framework]
    public init(frameworks: [Framework]) { self.frameworks = frameworks.sorted { $0.id < $1.id } }

    public func framework(_ id: String) -> Framework? { frameworks.first { $0.id == id } }

    public var ids: [String] { frameworks.map(\.id) }

    /// Framework id → the ids of its controls `policy` evidences, as reports list them per policy.
    public func controls(evidencedBy policy: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for framework in frameworks {
            let controls = framework.controls.filter { $0.policies.contains(policy) }.map(\.id)
            if !controls.isEmpty { out[framework.id] = controls }
        }
        return out
    }
}

extension PolicySet {
    /// Gives each policy the controls the frameworks map to it: the one definition of a mapping
    /// is the framework file, and reports show it per policy too.
    public mutating func attach(_ frameworks: FrameworkSet) {
        for i in policies.indices { policies[i].frameworks = frameworks.controls(evidencedBy: policies[i].id) }
    }
}
