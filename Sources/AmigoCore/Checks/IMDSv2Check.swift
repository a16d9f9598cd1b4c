import Foundation

/// An image registered with `imdsSupport: v2.0` makes every instance launched from it require
/// IMDSv2 (session tokens), which blunts SSRF-based credential theft through IMDSv1.
public struct IMDSv2Check: Check {
    public static let descriptor = CheckDescriptor(
        id: "imds-v2",
        title: "The image requires IMDSv2 (imdsSupport v2.0) on the instances launched from it.",
        rationale: "Instances that answer IMDSv1 let a server-side request forgery read the instance role's credentials; an image that requires IMDSv2 makes every instance launched from it require session tokens.",
        remediation: Remediation(
            "Require IMDSv2 on the image (this cannot be undone) and test the software on it with IMDSv2 first; set it when registering new images.",
            commands: [
                "aws ec2 modify-image-attribute --region <region> --image-id <image-id> --imds-support v2.0",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html"),
        parameters: [],
        needs: [.images],
        examples: examples)

    public init(parameters: CheckParameters) throws {
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        if image.imdsSupport == "v2.0" { return [] }
        let value = image.imdsSupport.map { "is \(UntrustedText.quoted($0))" } ?? "is not set"
        return [Violation("Image does not require IMDSv2 (imdsSupport \(value)): its instances accept IMDSv1 unless each launch turns it off.",
                          evidence: ["imdsSupport": image.imdsSupport ?? "unset"])]
    }

    private static var examples: [CheckExample] {
        [
            CheckExample("v2.0", image: .example { $0.imdsSupport = "v2.0" }, expect: .pass),
            CheckExample("not set", image: .example(), expect: .fail(evidence: ["imdsSupport": "unset"])),
            CheckExample("unknown value", image: .example { $0.imdsSupport = "v1.0" }, expect: .fail(evidence: ["imdsSupport": "v1.0"])),
        ]
    }
}
