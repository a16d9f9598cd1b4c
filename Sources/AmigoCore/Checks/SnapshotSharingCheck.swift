import Foundation

/// An AMI's data lives in its EBS snapshots, and a snapshot can be shared (or made public) on
/// its own, whatever the AMI's launch permissions say. Each snapshot behind the image may be
/// shared only as `allow` permits (same allow-list as `cross-account-sharing`) and never with
/// everyone. Fail-closed: a snapshot or its permissions that were not collected is a violation.
public struct SnapshotSharingCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "snapshot-sharing",
        title: "No EBS snapshot behind the image is public or shared outside the organization and allow-list.",
        rationale: "The snapshots behind an image hold its disks: shared publicly or with an outside account they give away the image's contents even when the image itself is private.",
        remediation: Remediation(
            "Remove the create-volume permissions of everyone and of grantees outside the organization and allow-list from each snapshot behind the image.",
            commands: [
                "aws ec2 modify-snapshot-attribute --region <region> --snapshot-id <snapshot-id> --attribute createVolumePermission --operation-type remove --group-names all",
                "aws ec2 modify-snapshot-attribute --region <region> --snapshot-id <snapshot-id> --attribute createVolumePermission --operation-type remove --user-ids <account-id>",
            ],
            documentation: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html"),
        parameters: [
            ParameterDoc("allow", SharingAllowList.parameterType,
                         "Who the snapshots may be shared with (default [organization]): `organization` is our own organization."),
        ],
        needs: [.images, .snapshots, .snapshotPermissions, .organization],
        examples: examples)

    public let allowList: SharingAllowList

    public init(parameters: CheckParameters) throws {
        allowList = try SharingAllowList(parameters)
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        var violations: [Violation] = []
        for device in image.blockDevices where device.isEBS {
            guard let snapshotId = device.snapshotId else { continue }
            let quotedId = UntrustedText.quoted(snapshotId)
            guard let snapshot = context.snapshot(for: image, device) else {
                violations.append(Violation("Snapshot \(quotedId) of \(device.deviceName) was not collected; its sharing cannot be verified.",
                                            evidence: ["device": device.deviceName, "snapshot": snapshotId,
                                                       "createVolumePermission": "not collected"],
                                            discriminator: device.deviceName))
                continue
            }
            guard let permissions = snapshot.createVolumePermissions else {
                violations.append(Violation("Create-volume permissions of snapshot \(quotedId) were not collected; its sharing cannot be verified.",
                                            evidence: ["device": device.deviceName, "snapshot": snapshotId,
                                                       "createVolumePermission": "not collected"],
                                            discriminator: device.deviceName))
                continue
            }
            for permission in permissions {
                let evidence = ["device": device.deviceName, "snapshot": snapshotId,
                                "createVolumePermission": "\(permission.kind)=\(permission.value)",
                                "organization": context.organization?.id ?? "unknown"]
                if permission == .everyone {
                    violations.append(Violation("Snapshot \(quotedId) of \(device.deviceName) is public: any AWS account can create a volume from it.",
                                                evidence: evidence,
                                                discriminator: "\(device.deviceName) \(permission.kind)=\(permission.value)"))
                } else if !allowList.allows(permission, owner: snapshot.ownerId, organization: context.organization) {
                    violations.append(Violation("Snapshot \(quotedId) of \(device.deviceName) is shared with \(allowList.denial(permission, organization: context.organization)).",
                                                evidence: evidence,
                                                discriminator: "\(device.deviceName) \(permission.kind)=\(permission.value)"))
                }
            }
        }
        return violations
    }

    private static var examples: [CheckExample] {
        let image = Image.example()
        func context(_ permissions: [LaunchPermission]?, organization: Bool = true) -> EvaluationContext {
            let snapshot = Snapshot(accountId: image.accountId, region: image.region, snapshotId: "snap-0example00000001",
                                    encrypted: true, createVolumePermissions: permissions)
            var context = EvaluationContext.example
            if !organization { context.organization = nil }
            context.snapshots = [EvaluationContext.snapshotKey(account: image.accountId, region: image.region,
                                                               snapshotId: snapshot.snapshotId): snapshot]
            return context
        }
        let ourOrg = EvaluationContext.example.organization!.arn
        return [
            CheckExample("snapshot not shared", image: image, context: context([]), expect: .pass),
            CheckExample("shared with a member account and our organization", image: image,
                         context: context([.account("222222222222"), .organization(ourOrg)]), expect: .pass),
            CheckExample("outside account on the allow-list", params: #"allow: [organization, "333333333333"]"#,
                         image: image, context: context([.account("333333333333")]), expect: .pass),
            CheckExample("instance-store only image has no snapshot", image: .example {
                $0.blockDevices = [BlockDevice(deviceName: "/dev/sdb", virtualName: "ephemeral0")]
            }, context: context(nil), expect: .pass),
            CheckExample("public snapshot", image: image, context: context([.everyone]), expect: .fail(evidence: ["snapshot": "snap-0example00000001", "createVolumePermission": "group=all"])),
            CheckExample("shared with an outside account", image: image,
                         context: context([.account("222222222222"), .account("999999999999")]), expect: .fail(evidence: ["createVolumePermission": "user-id=999999999999", "organization": "o-example"])),
            CheckExample("member account when only listed accounts are allowed", params: #"allow: ["333333333333"]"#,
                         image: image, context: context([.account("222222222222")]), expect: .fail(evidence: ["createVolumePermission": "user-id=222222222222"])),
            CheckExample("organization unknown", image: image, context: context([.account("222222222222")], organization: false),
                         expect: .fail(evidence: ["createVolumePermission": "user-id=222222222222", "organization": "unknown"])),
            CheckExample("snapshot permissions not collected", image: image, context: context(nil), expect: .fail(evidence: ["createVolumePermission": "not collected"], message: "Create-volume permissions of snapshot")),
            CheckExample("snapshot not collected", image: image, expect: .fail(evidence: ["snapshot": "snap-0example00000001", "createVolumePermission": "not collected"], message: "of /dev/xvda was not collected")),
        ]
    }
}
