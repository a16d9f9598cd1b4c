import Foundation

/// Who an image or snapshot may be shared with, as `cross-account-sharing` and
/// `snapshot-sharing` read it from their `allow` parameter: `organization` (our own
/// organization: its member accounts, its ARN, its OUs), 12-digit account ids, OU ARN globs
/// and organization ARNs. One parser and one judge, so the two checks cannot drift apart.
public struct SharingAllowList: Sendable, Hashable {
    public let allowOrganization: Bool
    public let accounts: Set<String>
    public let organizationArns: [String]
    public let organizationalUnitArns: [String]

    public static let parameterType = "[organization | account id | OU ARN glob | organization ARN]"

    public init(allowOrganization: Bool, accounts: Set<String> = [], organizationArns: [String] = [],
                organizationalUnitArns: [String] = []) {
        self.allowOrganization = allowOrganization; self.accounts = accounts
        self.organizationArns = organizationArns; self.organizationalUnitArns = organizationalUnitArns
    }

    /// Reads `key` (default `[organization]`), with errors located at the offending entry.
    public init(_ parameters: CheckParameters, key: String = "allow") throws {
        let entries = try parameters.strings(key) ?? ["organization"]
        let node = parameters.location(key)
        var organization = false, accounts: Set<String> = [], orgs: [String] = [], ous: [String] = []
        for (i, entry) in entries.enumerated() {
            if entry == "organization" {
                organization = true
            } else if entry.count == 12 && entry.allSatisfy({ $0.isASCII && $0.isNumber }) {
                accounts.insert(entry)
            } else if entry.hasPrefix("arn:aws") && entry.contains(":organizations::") && entry.contains(":ou/") {
                ous.append(entry)
            } else if entry.hasPrefix("arn:aws") && entry.contains(":organizations::") && entry.contains(":organization/") {
                orgs.append(entry)
            } else {
                let item = node?.sequence.map { Array($0)[i] } ?? node
                throw parameters.error("'\(key)' entry '\(entry)' is not 'organization', a 12-digit account id, an OU ARN (arn:aws:organizations::ACCOUNT:ou/o-ID/ou-ID, globs allowed) or an organization ARN",
                                       at: item)
            }
        }
        self.init(allowOrganization: organization, accounts: accounts, organizationArns: orgs,
                  organizationalUnitArns: ous)
    }

    /// Whether a non-public grant is allowed. `owner` (the resource's own account) always is;
    /// `group all` is reported by the callers themselves, so it is neither allowed nor denied here.
    public func allows(_ permission: LaunchPermission, owner: String, organization: Organization?) -> Bool {
        let org = allowOrganization ? organization : nil
        switch permission {
        case .everyone:
            return true
        case .account(let id):
            return id == owner || accounts.contains(id) || (org?.memberAccountIds.contains(id) ?? false)
        case .organization(let arn):
            return organizationArns.contains { Glob.matches($0, arn) } || arn == org?.arn
        case .organizationalUnit(let arn):
            if organizationalUnitArns.contains(where: { Glob.matches($0, arn) }) { return true }
            guard let org else { return false }
            return arn.hasPrefix("arn:aws") && arn.contains("/\(org.id)/")
        }
    }

    /// "account '999…', which is outside the organization and not on the allow-list": the
    /// grantee and why it is not allowed, for a violation message.
    public func denial(_ permission: LaunchPermission, organization: Organization?) -> String {
        let whom: String
        switch permission {
        case .everyone: whom = "everyone (group all)"
        case .account(let id): whom = "account \(UntrustedText.quoted(id))"
        case .organization(let arn): whom = "organization \(UntrustedText.quoted(arn))"
        case .organizationalUnit(let arn): whom = "organizational unit \(UntrustedText.quoted(arn))"
        }
        let why = allowOrganization && organization == nil
            ? "which is not on the allow-list (our organization's membership was not collected)"
            : allowOrganization ? "which is outside the organization and not on the allow-list"
            : "which is not on the allow-list"
        return "\(whom), \(why)"
    }
}
