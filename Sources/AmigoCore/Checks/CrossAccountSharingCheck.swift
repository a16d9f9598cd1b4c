import Foundation

/// An image may be shared only with accounts, OUs and organizations on the allow-list, where
/// `organization` stands for our own organization (its member accounts, its ARN, its OUs).
/// Sharing with everyone is `public-sharing`'s business. Fail-closed: when the launch
/// permissions were not collected, sharing cannot be verified, and that is a violation.
public struct CrossAccountSharingCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "cross-account-sharing",
        title: "The image is shared only with the organization and allow-listed accounts, OUs or organizations.",
        rationale: "An image shared with an account outside the organization gives that account a copy of everything baked into it: software, configuration and any secrets left on the volumes.",
        remediation: Remediation(
            "Remove the launch permissions of grantees outside the organization and the allow-list, or add a grantee that is meant to have it to the policy's allow list.",
            commands: [
                "aws ec2 modify-image-attribute --region <region> --image-id <image-id> --launch-permission 'Remove=[{UserId=<account-id>}]'",
                "aws ec2 reset-image-attribute --region <region> --image-id <image-id> --attribute launchPermission",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html"),
        parameters: [
            ParameterDoc("allow", SharingAllowList.parameterType,
                         "Who the image may be shared with (default [organization]): `organization` is our own organization."),
        ],
        needs: [.images, .launchPermissions, .organization],
        examples: examples)

    public let allowList: SharingAllowList
    public var allowOrganization: Bool { allowList.allowOrganization }

    public init(parameters: CheckParameters) throws {
        allowList = try SharingAllowList(parameters)
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        guard let permissions = image.launchPermissions else {
            return [Violation("Launch permissions were not collected; sharing cannot be verified.",
                              evidence: ["launchPermissions": "not collected"])]
        }
        return permissions.compactMap { permission in
            if permission == .everyone || allowList.allows(permission, owner: image.ownerId,
                                                           organization: context.organization) { return nil }
            return Violation("Image is shared with \(allowList.denial(permission, organization: context.organization)).",
                             evidence: ["permission": "\(permission.kind)=\(permission.value)",
                                        "organization": context.organization?.id ?? "unknown"],
                             discriminator: "\(permission.kind)=\(permission.value)")
        }
    }

    private static var examples: [CheckExample] {
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
            }, expect: .fail(evidence: ["permission": "user-id=999999999999", "organization": "o-example"])),
            CheckExample("member account when only listed accounts are allowed", params: #"allow: ["333333333333"]"#,
                         image: .example { $0.launchPermissions = [.account("222222222222")] }, expect: .fail(evidence: ["permission": "user-id=222222222222"])),
            CheckExample("shared with a foreign organization", image: .example {
                $0.launchPermissions = [.organization("arn:aws:organizations::999999999999:organization/o-foreign")]
            }, expect: .fail(evidence: ["permission": "organization-arn=arn:aws:organizations::999999999999:organization/o-foreign"])),
            CheckExample("shared with a foreign OU", image: .example { $0.launchPermissions = [.organizationalUnit(foreignOU)] },
                         expect: .fail(evidence: ["permission": "organizational-unit-arn=\(foreignOU)"])),
            CheckExample("launch permissions not collected", image: .example { $0.launchPermissions = nil },
                         expect: .fail(evidence: ["launchPermissions": "not collected"])),
            CheckExample("organization unknown", image: .example { $0.launchPermissions = [.account("222222222222")] },
                         context: EvaluationContext(asOf: EvaluationContext.example.asOf), expect: .fail(evidence: ["permission": "user-id=222222222222", "organization": "unknown"])),
        ]
    }
}
