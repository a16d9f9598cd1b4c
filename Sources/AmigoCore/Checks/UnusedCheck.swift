import Foundation

/// An image nothing launches (no running instance, no launch template's default or latest
/// version) is attack surface and cost with no owner in sight: a candidate for deprecation.
/// Young images are exempt, since a fresh build is often not rolled out yet.
public struct UnusedCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "unused",
        title: "The image is used by an instance or a launch template, or is younger than grace-days.",
        rationale: "An image nothing launches is attack surface and storage cost with no owner in sight, and can still be launched by anyone it is shared with.",
        remediation: Remediation(
            "Confirm nothing outside the scan launches it, then deprecate it and later deregister it (and delete its snapshots).",
            commands: [
                "aws ec2 enable-image-deprecation --region <region> --image-id <image-id> --deprecate-at <yyyy-mm-ddThh:mm:ssZ>",
                "aws ec2 deregister-image --region <region> --image-id <image-id> --delete-associated-snapshots",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/deregister-ami.html"),
        parameters: [
            ParameterDoc("grace-days", "integer", "Images younger than this many days are not judged (default 30)."),
        ],
        needs: [.images, .usage],
        examples: examples)

    public let graceDays: Int

    public init(parameters: CheckParameters) throws {
        let days = try parameters.int("grace-days") ?? 30
        guard days >= 0 else {
            throw parameters.error("'grace-days' must be 0 or more, got \(days)", at: parameters.location("grace-days"))
        }
        graceDays = days
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        if let created = image.creationDate,
           context.asOf.timeIntervalSince(created) < Double(graceDays) * 86_400 { return [] }
        guard let instances = image.instanceCount, let templates = image.launchTemplateCount else {
            return [Violation("Usage of the image was not collected, so it cannot be verified as in use.",
                              evidence: ["instances": image.instanceCount.map(String.init) ?? "unknown",
                                         "launchTemplates": image.launchTemplateCount.map(String.init) ?? "unknown"])]
        }
        if instances > 0 || templates > 0 { return [] }
        let age = image.creationDate.map { " and was created \(CivilDate.day($0))" } ?? ""
        return [Violation("No instance or launch template uses the image\(age): deprecate or deregister it.",
                          evidence: ["instances": "0", "launchTemplates": "0"])]
    }

    private static var examples: [CheckExample] {
        [
            CheckExample("running instances", image: .example { $0.instanceCount = 2; $0.launchTemplateCount = 0 }, expect: .pass),
            CheckExample("a launch template", image: .example { $0.instanceCount = 0; $0.launchTemplateCount = 1 }, expect: .pass),
            CheckExample("nothing uses it", image: .example { $0.instanceCount = 0; $0.launchTemplateCount = 0 }, expect: .fail(evidence: ["instances": "0", "launchTemplates": "0"])),
            CheckExample("unused but young", params: "grace-days: 60",
                         image: .example { $0.instanceCount = 0; $0.launchTemplateCount = 0 }, expect: .pass),
            CheckExample("usage not collected", image: .example(), expect: .fail(evidence: ["instances": "unknown", "launchTemplates": "unknown"])),
            CheckExample("templates not collected", image: .example { $0.instanceCount = 0 }, expect: .fail(evidence: ["instances": "0", "launchTemplates": "unknown"])),
        ]
    }
}
