import Foundation

/// Nobody outside AWS accounts you chose may launch the image: public AMIs leak whatever was
/// baked into them (keys, code, data) to every AWS customer.
public struct PublicSharingCheck: Check {
    public static let id = "public-sharing"
    public static let summary = "The image is not public (no launch permission for group 'all')."
    public static let parameters: [ParameterDoc] = []
    public static let needs: Set<DataNeed> = [.images, .launchPermissions]

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

    public static var examples: [CheckExample] {
        [
            CheckExample("private, not shared", image: .example(), expect: .pass),
            CheckExample("shared with one account only", image: .example {
                $0.launchPermissions = [.account("222222222222")]
            }, expect: .pass),
            CheckExample("private, permissions not collected", image: .example { $0.launchPermissions = nil },
                         expect: .pass),
            CheckExample("public flag set", image: .example { $0.isPublic = true }, expect: .fail),
            CheckExample("launch permission for group all", image: .example {
                $0.launchPermissions = [.account("222222222222"), .everyone]
            }, expect: .fail),
            CheckExample("public and group all", image: .example {
                $0.isPublic = true
                $0.launchPermissions = [.everyone]
            }, expect: .fail),
        ]
    }
}
