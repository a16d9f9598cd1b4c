import Foundation

/// Images with a deprecation time retire themselves: once it passes they drop out of
/// DescribeImages listings for other accounts and launch wizards, so stale images stop
/// spreading. With `max-days`, the deprecation must also come within that many days of creation.
public struct DeprecationScheduledCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "deprecation-scheduled",
        title: "The image has a deprecation time (within max-days of its creation, if set).",
        rationale: "An image without a deprecation time stays offered to launches forever; scheduling one when the image is built keeps the catalogue of usable images current.",
        remediation: Remediation(
            "Set a deprecation time within max-days of the image's creation (and schedule it in the build pipeline for new images).",
            commands: [
                "aws ec2 enable-image-deprecation --region <region> --image-id <image-id> --deprecate-at <yyyy-mm-ddThh:mm:ssZ>",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-deprecate.html"),
        parameters: [
            ParameterDoc("max-days", "integer > 0", "Longest allowed time from creation to deprecation, in days."),
        ],
        needs: [.images],
        examples: examples)

    public let maxDays: Int?

    public init(parameters: CheckParameters) throws {
        let days = try parameters.int("max-days")
        if let days, days <= 0 {
            throw parameters.error("'max-days' must be greater than 0, got \(days)", at: parameters.location("max-days"))
        }
        maxDays = days
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        guard let deprecation = image.deprecationTime else {
            return [Violation("Image has no deprecation time scheduled.", evidence: ["deprecationTime": "unset"])]
        }
        guard let maxDays else { return [] }
        guard let created = image.creationDate else {
            return [Violation("Image has no creation date, so the time to its deprecation cannot be verified.",
                              evidence: ["creationDate": "unknown", "deprecationTime": CivilDate.timestamp(deprecation),
                                         "maxDays": String(maxDays)])]
        }
        let days = Int((deprecation.timeIntervalSince(created) / 86_400).rounded(.up))
        if days <= maxDays { return [] }
        return [Violation("Image is deprecated \(days) days after its creation (on \(CivilDate.day(deprecation))), more than the \(maxDays) days allowed.",
                          evidence: ["creationDate": CivilDate.timestamp(created), "deprecationTime": CivilDate.timestamp(deprecation),
                                     "days": String(days), "maxDays": String(maxDays)])]
    }

    private static var examples: [CheckExample] {
        let inDays = { (days: Double) in EvaluationContext.example.asOf.addingTimeInterval(days * 86_400) }
        return [
            CheckExample("deprecation scheduled", image: .example { $0.deprecationTime = inDays(300) }, expect: .pass),
            CheckExample("already deprecated is age's business", image: .example { $0.deprecationTime = inDays(-1) },
                         expect: .pass),
            CheckExample("within max-days of creation", params: "max-days: 365",
                         image: .example { $0.deprecationTime = inDays(335) }, expect: .pass),
            CheckExample("no deprecation time", image: .example(), expect: .fail(evidence: ["deprecationTime": "unset"])),
            CheckExample("later than max-days after creation", params: "max-days: 365",
                         image: .example { $0.deprecationTime = inDays(336) }, expect: .fail(evidence: ["days": "366", "maxDays": "365"])),
            CheckExample("creation date unknown", params: "max-days: 365",
                         image: .example(created: nil) { $0.deprecationTime = inDays(30) }, expect: .fail(evidence: ["creationDate": "unknown", "maxDays": "365"])),
        ]
    }
}
