import Foundation

/// An image may be shared only with accounts, OUs and organizations on the allow-list, where
/// `organization` stands for our own organization (its member accounts, its ARN, its OUs).
/// Sharing with everyone is `public-sharing`'s business. Fail-closed: when the launch
/// permissions were not collected, sharing cannot be verified, and that is a violation.
public struct CrossAccountSharingCheck: Check {
    public static let id = "cross-account-sharing"
    public static let summary = "The image is shared only with the organization and allow-listed accounts, OUs or organizations."
    public static let parameters = [
        ParameterDoc("allow", "[organization | account id | OU ARN glob | organization ARN]",
                     "Who the image may be shared with (default [organization]): `organization` is our own organization."),
    ]
    public static let needs: Set<DataNeed> = [.images, .launchPermissions, .organization]

    public let allowOrganization: Bool
    public let accounts: Set<String>
    public let organizationArns: [String]
    public let organizationalUnitArns: [String]

    public init(parameters: CheckParameters) throws {
        let entries = try parameters.strings("allow") ?? ["organization"]
        let node = parameters.location("allow")
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
                throw parameters.error("'allow' entry '\(entry)' is not 'organization', a 12-digit account id, an OU ARN (arn:aws:organizations::ACCOUNT:ou/o-ID/ou-ID, globs allowed) or an organization ARN",
                                       at: item)
            }
        }
        allowOrganization = organization
        self.accounts = accounts
        organizationArns = orgs
        organizationalUnitArns = ous
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        guard let permissions = image.launchPermissions else {
            return [Violation("Launch permissions were not collected; sharing cannot be verified.",
                              evidence: ["launchPermissions": "not collected"])]
        }
        if permissions.isEmpty { return [] }
        let org = allowOrganization ? context.organization : nil
        var violations: [Violation] = []
        for permission in permissions where !isAllowed(permission, image: image, org: org) {
            let whom: String
            switch permission {
            case .everyone: continue
            case .account(let id): whom = "account \(UntrustedText.quoted(id))"
            case .organization(let arn): whom = "organization \(UntrustedText.quoted(arn))"
            case .organizationalUnit(let arn): whom = "organizational unit \(UntrustedText.quoted(arn))"
            }
            let outside = allowOrganization && context.organization == nil
                ? "which is not on the allow-list (our organization's membership was not collected)"
                : allowOrganization ? "which is outside the organization and not on the allow-list"
                : "which is not on the allow-list"
            violations.append(Violation("Image is shared with \(whom), \(outside).",
                                        evidence: ["permission": "\(permission.kind)=\(permission.value)",
                                                   "organization": context.organization?.id ?? "unknown"]))
        }
        return violations
    }

    private func isAllowed(_ permission: LaunchPermission, image: Image, org: Organization?) -> Bool {
        switch permission {
        case .everyone:
            return true
        case .account(let id):
            return id == image.ownerId || accounts.contains(id) || (org?.memberAccountIds.contains(id) ?? false)
        case .organization(let arn):
            return organizationArns.contains { Glob.matches($0, arn) } || arn == org?.arn
        case .organizationalUnit(let arn):
            if organizationalUnitArns.contains(where: { Glob.matches($0, arn) }) { return true }
            guard let org else { return false }
            return arn.hasPrefix("arn:aws") && arn.contains("/\(org.id)/")
        }
    }

    public static var examples: [CheckExample] {
        let ourOU = "arn:aws:organizations::111111111111:ou/o-example/ou-ab12-cdef3456"
        let foreignOU = "arn:aws:organizations::999999999999:ou/o-foreign/ou-zz99-zzzzzzzz"
        return [
            CheckExample("not shared", image: .example(), expect: .pass),
            CheckExample("shared with a member account", image: .example {
                $0.launchPermissions = [.account("222222222222")]
            }, expect: .pass),
            CheckExample("shared with our organization and an OU of it", image: .example {
                $0.launchPermissions = [.organization(EvaluationContext.example.organization!.arn), .organizationalUnit(ourOU)]
            }, expect: .pass),
            CheckExample("outside account on the allow-list", params: #"allow: [organization, "333333333333"]"#,
                         image: .example { $0.launchPermissions = [.account("333333333333")] }, expect: .pass),
            CheckExample("group all is public-sharing's job", image: .example { $0.launchPermissions = [.everyone] },
                         expect: .pass),
            CheckExample("foreign OU matched by a glob", params: #"allow: ["arn:aws:organizations::999999999999:ou/o-foreign/*"]"#,
                         image: .example { $0.launchPermissions = [.organizationalUnit(foreignOU)] }, expect: .pass),
            CheckExample("shared with an outside account", image: .example {
                $0.launchPermissions = [.account("222222222222"), .account("999999999999")]
            }, expect: .fail),
            CheckExample("member account when only listed accounts are allowed", params: #"allow: ["333333333333"]"#,
                         image: .example { $0.launchPermissions = [.account("222222222222")] }, expect: .fail),
            CheckExample("shared with a foreign organization", image: .example {
                $0.launchPermissions = [.organization("arn:aws:organizations::999999999999:organization/o-foreign")]
            }, expect: .fail),
            CheckExample("shared with a foreign OU", image: .example { $0.launchPermissions = [.organizationalUnit(foreignOU)] },
                         expect: .fail),
            CheckExample("launch permissions not collected", image: .example { $0.launchPermissions = nil },
                         expect: .fail),
            CheckExample("organization unknown", image: .example { $0.launchPermissions = [.account("222222222222")] },
                         context: EvaluationContext(asOf: EvaluationContext.example.asOf), expect: .fail),
        ]
    }
}
