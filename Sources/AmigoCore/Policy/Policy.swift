import Foundation

/// A policy: a check with its decoded parameters, a severity and a scope. What its check
/// judges (an image, or an account×region: the guardrails around the images) is the check's
/// subject.
public struct Policy: Sendable {
    public var id: String
    public var checkId: String
    public var severity: Severity
    public var description: String?
    /// Framework controls this policy evidences, e.g. `["cis-aws-3.0": ["2.2.1"]]`: derived from
    /// the framework files (`PolicySet.attach`), never written in a policy file.
    public var frameworks: [String: [String]]
    public var scope: Scope
    public var check: any Check
    /// Where the policy is written (`policies/baseline.yml`, line 12), relative to its
    /// `SourceRoot`: SARIF points code scanning at it, so a finding links to the rule that
    /// raised it.
    public var sourceFile: String?
    public var sourceLine: Int?

    public init(id: String, severity: Severity, description: String? = nil,
                frameworks: [String: [String]] = [:], scope: Scope = .everything, check: any Check) {
        self.id = id; self.checkId = type(of: check).descriptor.id; self.severity = severity
        self.description = description; self.frameworks = frameworks; self.scope = scope; self.check = check
    }

    /// What one finding of this policy is about: `image` or `region`.
    public var resourceType: String { type(of: check).resourceType }

    public var needs: Set<DataNeed> { type(of: check).descriptor.needs }

    public var info: PolicyInfo {
        var info = PolicyInfo(id: id, check: checkId, severity: severity, description: description,
                              frameworks: frameworks, resourceType: resourceType)
        info.sourceFile = sourceFile
        info.sourceLine = sourceLine
        return info
    }
}

/// The part of a policy reports show.
public struct PolicyInfo: Sendable, Hashable, Codable {
    public var id: String
    public var check: String
    public var severity: Severity
    public var description: String?
    public var frameworks: [String: [String]]
    /// `image` or `region`: what the policy evaluates and its findings are about.
    public var resourceType: String
    public var sourceFile: String?
    public var sourceLine: Int?
    public init(id: String, check: String, severity: Severity, description: String? = nil,
                frameworks: [String: [String]] = [:], resourceType: String = Finding.imageResourceType) {
        self.id = id; self.check = check; self.severity = severity
        self.description = description; self.frameworks = frameworks; self.resourceType = resourceType
    }

    private enum CodingKeys: String, CodingKey {
        case id, check, severity, description, frameworks, resourceType, sourceFile, sourceLine
    }

    /// Values encoded before region policies existed have no `resourceType`: they were image policies.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), check: try c.decode(String.self, forKey: .check),
                  severity: try c.decode(Severity.self, forKey: .severity),
                  description: try c.decodeIfPresent(String.self, forKey: .description),
                  frameworks: try c.decodeIfPresent([String: [String]].self, forKey: .frameworks) ?? [:],
                  resourceType: try c.decodeIfPresent(String.self, forKey: .resourceType) ?? Finding.imageResourceType)
        sourceFile = try c.decodeIfPresent(String.self, forKey: .sourceFile)
        sourceLine = try c.decodeIfPresent(Int.self, forKey: .sourceLine)
    }
}

/// Which images (or, for region policies, account×regions) a policy applies to: shell-style
/// globs on account id, region and image name. An empty list means "all". An image without a
/// name matches only when no name glob is set. Region policies cannot have a name glob.
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

    /// For region policies: the account and region globs (the loader rejects name globs there).
    public func contains(account: String, region: String) -> Bool {
        if !accounts.isEmpty && !accounts.contains(where: { Glob.matches($0, account) }) { return false }
        if !regions.isEmpty && !regions.contains(where: { Glob.matches($0, region) }) { return false }
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
        policies.reduce(into: [.images]) { $0.formUnion($1.needs) }
    }
}
