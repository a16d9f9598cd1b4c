import Foundation

/// Paravirtual AMIs only run on previous-generation instance types and miss current
/// security features (Nitro, IMDSv2-only defaults), so most fleets allow only HVM.
public struct VirtualizationTypeCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "virtualization-type",
        title: "The image uses an allowed virtualization type (hvm by default).",
        rationale: "Paravirtual images cannot use current instance types, enhanced networking or Nitro security features, and no longer receive updated base images.",
        remediation: Remediation(
            "Rebuild the image as HVM from a current base image, move launches to it, then deregister the old one.",
            commands: [
                "aws ec2 deregister-image --region <region> --image-id <image-id>",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html"),
        parameters: [
            ParameterDoc("allowed", "[hvm | paravirtual]", "Allowed virtualization types (default [hvm])."),
        ],
        needs: [.images],
        examples: examples)
    public static let known = ["hvm", "paravirtual"]

    public let allowed: [String]

    public init(parameters: CheckParameters) throws {
        let list = try parameters.strings("allowed") ?? ["hvm"]
        let node = parameters.location("allowed")
        if list.isEmpty { throw parameters.error("'allowed' must list at least one of: hvm, paravirtual", at: node) }
        for (i, type) in list.enumerated() where !Self.known.contains(type) {
            let item = node?.sequence.map { Array($0)[i] } ?? node
            throw parameters.error("'allowed' entry '\(type)' is not a virtualization type; use hvm or paravirtual", at: item)
        }
        allowed = list
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        guard let type = image.virtualizationType else {
            return [Violation("Image has no virtualization type, so it cannot be verified as \(allowed.joined(separator: " or ")).",
                              evidence: ["virtualizationType": "unknown"])]
        }
        if allowed.contains(type) { return [] }
        return [Violation("Image uses \(UntrustedText.quoted(type)) virtualization; only \(allowed.joined(separator: " or ")) is allowed.",
                          evidence: ["virtualizationType": type, "allowed": allowed.joined(separator: ", ")])]
    }

    private static var examples: [CheckExample] {
        [
            CheckExample("hvm by default", image: .example(), expect: .pass),
            CheckExample("paravirtual when allowed", params: "allowed: [hvm, paravirtual]", image: .example {
                $0.virtualizationType = "paravirtual"
            }, expect: .pass),
            CheckExample("paravirtual by default", image: .example { $0.virtualizationType = "paravirtual" },
                         expect: .fail(evidence: ["virtualizationType": "paravirtual", "allowed": "hvm"])),
            CheckExample("hvm when only paravirtual is allowed", params: "allowed: paravirtual", image: .example(),
                         expect: .fail(evidence: ["virtualizationType": "hvm", "allowed": "paravirtual"])),
            CheckExample("type unknown", image: .example { $0.virtualizationType = nil }, expect: .fail(evidence: ["virtualizationType": "unknown"])),
        ]
    }
}
