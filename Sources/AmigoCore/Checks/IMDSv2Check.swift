import Foundation

/// An image registered with `imdsSupport: v2.0` makes every instance launched from it require
/// IMDSv2 (session tokens), which blunts SSRF-based credential theft through IMDSv1.
public struct IMDSv2Check: Check {
    public static let id = "imds-v2"
    public static let summary = "The image requires IMDSv2 (imdsSupport v2.0) on the instances launched from it."
    public static let parameters: [ParameterDoc] = []
    public static let needs: Set<DataNeed> = [.images]

    public init(parameters: CheckParameters) throws {
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        if image.imdsSupport == "v2.0" { return [] }
        let value = image.imdsSupport.map { "is \(UntrustedText.quoted($0))" } ?? "is not set"
        return [Violation("Image does not require IMDSv2 (imdsSupport \(value)): its instances accept IMDSv1 unless each launch turns it off.",
                          evidence: ["imdsSupport": image.imdsSupport ?? "unset"])]
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("v2.0", image: .example { $0.imdsSupport = "v2.0" }, expect: .pass),
            CheckExample("not set", image: .example(), expect: .fail),
            CheckExample("unknown value", image: .example { $0.imdsSupport = "v1.0" }, expect: .fail),
        ]
    }
}
