import Foundation

/// Nobody outside AWS accounts you chose may launch the image: public AMIs leak whatever was
/// baked into them (keys, code, data) to every AWS customer.
public struct PublicSharingCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "public-sharing",
        title: "The image is not public (no launch permission for group 'all').",
        rationale: "A public image can be launched by every AWS account: whatever is baked into it (code, configuration, credentials) is published.",
        remediation: Remediation(
            "Remove the launch permission of group all (or make the image private), and check what the image exposed while it was public.",
            commands: [
                "aws ec2 modify-image-attribute --region <region> --image-id <image-id> --launch-permission 'Remove=[{Group=all}]'",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html"),
        parameters: [],
        needs: [.images, .launchPermissions],
        examples: examples)

    public init(parameters: CheckParameters) throws {
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        let groupAll = image.launchPermissions?.contains(.everyone) ?? false
        guard image.isPublic || groupAll else { return [] }
        var evidence = ["isPublic": String(image.isPublic)]
        if groupAll { evidence["launchPermission"] = "group=all" }
        return [Violation("Image is public: any AWS account can launch it.", evidence: evidence)]
    }

    private static var examples: [CheckExample] {
        [
            CheckExample("private, not shared", image: .example(), expect: .pass),
            CheckExample("shared with one account only", image: .example {
                $0.launchPermissions = [.account("222222222222")]
            }, expect: .pass),
            CheckExample("private, permissions not collected", image: .example { $0.launchPermissions = nil },
                         expect: .pass),
            CheckExample("public flag set", image: .example { $0.isPublic = true }, expect: .fail(evidence: ["isPublic": "true"])),
            CheckExample("launch permission for group all", image: .example {
                $0.launchPermissions = [.account("222222222222"), .everyone]
            }, expect: .fail(evidence: ["isPublic": "false", "launchPermission": "group=all"])),
            CheckExample("public and group all", image: .example {
                $0.isPublic = true
                $0.launchPermissions = [.everyone]
            }, expect: .fail(evidence: ["isPublic": "true", "launchPermission": "group=all"])),
        ]
    }
}
