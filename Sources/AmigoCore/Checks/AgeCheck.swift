import Foundation

/// Images older than `max-days` (as of the evaluation date) and deprecated images.
///
/// `deprecated: warn` still reports a violation (a finding with the policy's severity) but its
/// message starts with "Warning:", so a deprecation can be announced before it fails anyone:
/// a finding has no severity of its own apart from its policy's. `ignore` skips deprecation.
/// An image whose creation date is unknown is a violation: its age cannot be verified.
public struct AgeCheck: Check {
    public enum DeprecatedMode: String, Sendable, CaseIterable { case fail, warn, ignore }

    public static let descriptor = CheckDescriptor(
        id: "age",
        title: "The image is at most max-days old and not deprecated.",
        rationale: "Old images miss the patches released since they were built, and a deprecated image is one its owner has said not to use: instances launched from either start out vulnerable.",
        remediation: Remediation(
            "Rebuild the image from a current base, roll the new image out, then deprecate (and later deregister) the old one.",
            commands: [
                "aws ec2 enable-image-deprecation --region <region> --image-id <image-id> --deprecate-at <yyyy-mm-ddThh:mm:ssZ>",
                "aws ec2 deregister-image --region <region> --image-id <image-id>",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-deprecate.html"),
        parameters: [
            ParameterDoc("max-days", "integer > 0", required: true, "Oldest allowed age in days, counted from the image's creation date to the as-of date."),
            ParameterDoc("deprecated", "fail | warn | ignore", "What a deprecation time at or before the as-of date does (default fail; warn reports it with a \"Warning:\" message)."),
        ],
        needs: [.images],
        examples: examples)

    public let maxDays: Int
    public let deprecated: DeprecatedMode

    public init(parameters: CheckParameters) throws {
        guard let days = try parameters.int("max-days") else {
            throw parameters.error("missing required parameter 'max-days' (an age limit in days)",
                                   at: parameters.location("max-days"))
        }
        guard days > 0 else {
            throw parameters.error("'max-days' must be greater than 0, got \(days)", at: parameters.location("max-days"))
        }
        maxDays = days
        let mode = try parameters.oneOf("deprecated", DeprecatedMode.allCases.map(\.rawValue))
        deprecated = mode.flatMap(DeprecatedMode.init(rawValue:)) ?? .fail
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        var violations: [Violation] = []
        if let created = image.creationDate {
            let ageDays = Int((context.asOf.timeIntervalSince(created) / 86_400).rounded(.down))
            if ageDays > maxDays {
                violations.append(Violation("Image is \(ageDays) days old (created \(CivilDate.day(created))), more than the \(maxDays) days allowed.",
                                            evidence: ["creationDate": CivilDate.timestamp(created),
                                                       "ageDays": String(ageDays), "maxDays": String(maxDays)],
                                            discriminator: "age"))
            }
        } else {
            violations.append(Violation("Image has no creation date, so its age cannot be verified.",
                                        evidence: ["creationDate": "unknown", "maxDays": String(maxDays)],
                                        discriminator: "age"))
        }
        if deprecated != .ignore, let time = image.deprecationTime, time <= context.asOf {
            let prefix = deprecated == .warn ? "Warning: image" : "Image"
            violations.append(Violation("\(prefix) was deprecated on \(CivilDate.day(time)).",
                                        evidence: ["deprecationTime": CivilDate.timestamp(time),
                                                   "deprecated": deprecated.rawValue],
                                        discriminator: "deprecated"))
        }
        return violations
    }

    private static var examples: [CheckExample] {
        let deprecatedImage = Image.example { $0.deprecationTime = Image.daysBeforeExampleAsOf(3) }
        return [
            CheckExample("a month old", params: "max-days: 90", image: .example(), expect: .pass),
            CheckExample("exactly max-days old", params: "max-days: 30", image: .example(), expect: .pass),
            CheckExample("deprecation in the future", params: "max-days: 90", image: .example {
                $0.deprecationTime = EvaluationContext.example.asOf.addingTimeInterval(86_400)
            }, expect: .pass),
            CheckExample("deprecated but ignored", params: "max-days: 90\ndeprecated: ignore",
                         image: deprecatedImage, expect: .pass),
            CheckExample("a day too old", params: "max-days: 29", image: .example(), expect: .fail(evidence: ["ageDays": "30", "maxDays": "29"])),
            CheckExample("years old", params: "max-days: 365",
                         image: .example(created: Image.daysBeforeExampleAsOf(800)), expect: .fail(evidence: ["ageDays": "800", "maxDays": "365"])),
            CheckExample("creation date unknown", params: "max-days: 365", image: .example(created: nil),
                         expect: .fail(evidence: ["creationDate": "unknown", "maxDays": "365"])),
            CheckExample("deprecated", params: "max-days: 90", image: deprecatedImage, expect: .fail(evidence: ["deprecated": "fail"], message: "Image was deprecated on 2025-12-29")),
            CheckExample("deprecated, warn only", params: "max-days: 90\ndeprecated: warn",
                         image: deprecatedImage, expect: .fail(evidence: ["deprecated": "warn"], message: "Warning: image was deprecated on 2025-12-29")),
        ]
    }
}
