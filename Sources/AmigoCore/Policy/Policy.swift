import Foundation

/// A policy: a check with its decoded parameters, a severity and a scope.
public struct Policy: Sendable {
    public var id: String
    public var checkId: String
    public var severity: Severity
    public var description: String?
    /// Framework controls this policy evidences, e.g. `["CIS-AWS-2.0": ["2.2.1"]]`.
    public var frameworks: [String: [String]]
    public var scope: Scope
    public var check: any Check

    public init(id: String, severity: Severity, description: String? = nil,
                frameworks: [String: [String]] = [:], scope: Scope = .everything, check: any Check) {
        self.id = id
        self.checkId = type(of: check).id
        self.severity = severity
        self.description = description
        self.frameworks = frameworks
        self.scope = scope
        self.check = check
    }

    public var info: PolicyInfo {
        PolicyInfo(id: id, check: checkId, severity: severity, description: description,
                   frameworks: frameworks)
    }
}

/// The part of a policy reports show.
public struct PolicyInfo: Sendable, Hashable, Codable {
    public var id: String
    public var check: String
    public var severity: Severity
    public var description: String?
    public var frameworks: [String: [String]]
    public init(id: String, check: String, severity: Severity, description: String? = nil,
                frameworks: [String: [String]] = [:]) {
        self.id = id; self.check = check; self.severity = severity
        self.description = description; self.frameworks = frameworks
    }
}

/// Which images a policy applies to: shell-style globs on account id, region and image name.
/// An empty list means "all". An image without a name matches only when no name glob is set.
public struct Scope: Sendable, Hashable {
    public var accounts: [String]
    public var regions: [String]
    public var names: [String]

    public init(accounts: [String] = [], regions: [String] = [], names: [String] = []) {
        self.accounts = accounts.filter { $0 != "*" }
        self.regions = regions.filter { $0 != "*" }
        self.names = names.filter { $0 != "*" }
    }

    public static let everything = Scope()

    public func contains(_ image: Image) -> Bool {
        if !accounts.isEmpty && !accounts.contains(where: { Glob.matches($0, image.accountId) }) { return false }
        if !regions.isEmpty && !regions.contains(where: { Glob.matches($0, image.region) }) { return false }
        if !names.isEmpty {
            guard let name = image.name, names.contains(where: { Glob.matches($0, name) }) else { return false }
        }
        return true
    }
}

/// Accepts a finding that a person decided to live with, until `expires`.
public struct Waiver: Sendable, Hashable, Codable {
    public var policyId: String
    public var images: [String]
    public var accounts: [String]
    public var reason: String
    public var expires: Date?
    public init(policyId: String, images: [String] = [], accounts: [String] = [], reason: String,
                expires: Date? = nil) {
        self.policyId = policyId; self.images = images; self.accounts = accounts
        self.reason = reason; self.expires = expires
    }

    public func covers(_ finding: Finding, asOf: Date) -> Bool {
        guard finding.policyId == policyId || policyId == "*" else { return false }
        if let expires, expires <= asOf { return false }
        let imageOK = images.isEmpty || images.contains { Glob.matches($0, finding.resourceId) }
        let accountOK = accounts.isEmpty || accounts.contains { Glob.matches($0, finding.accountId) }
        return imageOK && accountOK
    }
}

/// Everything the policy files say: policies in file order, then waivers.
public struct PolicySet: Sendable {
    public var policies: [Policy]
    public var waivers: [Waiver]
    public init(policies: [Policy] = [], waivers: [Waiver] = []) {
        self.policies = policies; self.waivers = waivers
    }

    public var needs: Set<DataNeed> {
        policies.reduce(into: [.images]) { $0.formUnion(type(of: $1.check).needs) }
    }
}
