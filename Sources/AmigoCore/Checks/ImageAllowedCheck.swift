import Foundation

/// Would the region's Allowed AMIs criteria allow each workload's image? With the setting in
/// audit mode (or disabled) the findings are exactly what would stop launching once it is
/// enabled; with it enabled, what already cannot launch. An image is allowed when it meets
/// every condition of at least one criterion: provider (account id, `amazon`,
/// `aws-marketplace`, `aws-backup-vault`, `none` for the account's own images), name (`*` and
/// `?`), Marketplace product codes, and the days since creation and since deprecation. EC2's
/// own answer (`ImageAllowed` in the instance's image metadata) wins when it was collected;
/// product codes are not collected otherwise, so a criterion that names some cannot vouch for
/// an image.
public struct ImageAllowedCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "image-allowed",
        title: "The region's Allowed AMIs criteria allow every workload's image, so enabling them stops nothing.",
        rationale: "Allowed AMIs in audit mode blocks nothing; the day it is enabled, every Auto Scaling group, template and pipeline parameter on an image outside the criteria stops launching. Knowing them beforehand is what makes enabling it safe.",
        remediation: Remediation(
            "Move the workload to an image the criteria allow, or widen the criteria (in the declarative policy when ManagedBy is declarative-policy), before enabling Allowed AMIs.",
            commands: [
                "aws ec2 get-allowed-images-settings --region <region>",
                "aws ec2 describe-instance-image-metadata --region <region> --instance-ids <instance-id> --query 'InstanceImageMetadata[].ImageMetadata.ImageAllowed'",
                "aws ec2 replace-image-criteria-in-allowed-images-settings --region <region> --image-criteria '[{\"ImageProviders\":[\"amazon\",\"<account-id>\"]}]'",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-allowed-amis.html"),
        parameters: [.workloadKinds],
        needs: [.images, .workloads, .referencedImages, .regionSettings],
        examples: examples)

    public let kinds: Set<Workload.Kind>

    public init(parameters: CheckParameters) throws {
        kinds = try parameters.workloadKinds()
        try parameters.finish()
    }

    public func evaluate(_ workload: Workload, in context: EvaluationContext) -> [Violation] {
        guard kinds.contains(workload.kind) else { return [] }
        let image = context.image(for: workload)
        var evidence = image.evidence(for: workload)
        let settings = context.settings(account: workload.accountId, region: workload.region)
        guard let state = settings?.allowedImagesState else {
            evidence["allowedImagesState"] = "not collected"
            return [Violation("The region's Allowed AMIs settings could not be read, so whether they allow the image cannot be verified.", evidence: evidence)]
        }
        evidence["allowedImagesState"] = state
        evidence["managedBy"] = settings?.allowedImagesManagedBy ?? "unknown"
        let criteria = settings?.allowedImageCriteria
        // Disabled with no criteria is Allowed AMIs not set up at all (allowed-images-settings
        // reports that): there is nothing whose enabling would stop a launch.
        if state == "disabled" && (criteria?.isEmpty ?? true) { return [] }
        let consequence = switch state {
        case "enabled": "Allowed AMIs is enabled, so it can no longer launch it"
        case "audit-mode": "it would stop launching if Allowed AMIs went from audit mode to enabled"
        default: "it would stop launching if Allowed AMIs were enabled with these criteria"
        }
        let what = "The \(workload.kind.noun) uses image \(UntrustedText.quoted(workload.imageId ?? "none"))"
        if let answer = workload.imageMetadata?.imageAllowed, workload.imageMetadata?.imageId == workload.imageId {
            if answer { return [] }
            evidence["imageAllowed"] = "no (EC2)"
            return [Violation("\(what), which EC2 says the region's Allowed AMIs criteria do not allow: \(consequence).", evidence: evidence)]
        }
        guard let criteria else {
            evidence["imageCriteria"] = "not collected"
            return [Violation("The region's Allowed AMIs criteria could not be read, so whether they allow the image cannot be verified.", evidence: evidence)]
        }
        if case .none = image { return [Self.noImage(workload, image)] }
        guard let facts = image.facts(region: workload.region) else {
            return [Self.cannotVerify(workload, image, what: "allowed by the region's Allowed AMIs criteria")]
        }
        var unverifiable = false
        for criterion in criteria {
            switch Self.allows(criterion, facts, account: workload.accountId, asOf: context.asOf) {
            case true?: return []
            case nil: unverifiable = true
            case false?: continue
            }
        }
        evidence["imageAllowed"] = unverifiable ? "cannot verify (Marketplace product codes are not collected)" : "no"
        evidence["imageCriteria"] = String(criteria.count)
        evidence["owner"] = facts.ownerAlias ?? facts.ownerId ?? "unknown"
        let verdict = unverifiable ? "which no criterion of the region's Allowed AMIs settings is known to allow"
            : "which none of the region's \(criteria.count) Allowed AMIs criteria allows"
        return [Violation("\(what), \(verdict): \(consequence).", evidence: evidence)]
    }

    /// Whether the image meets every condition of the criterion; nil when a condition cannot be
    /// judged from what was collected (product codes).
    static func allows(_ criterion: ImageCriterion, _ facts: ImageFacts, account: String, asOf: Date) -> Bool? {
        if !criterion.imageProviders.isEmpty {
            let provided = criterion.imageProviders.contains { provider in
                switch provider {
                case "amazon", "aws-marketplace", "aws-backup-vault": facts.ownerAlias == provider
                case "none": facts.ownerId == account
                default: facts.ownerId == provider
                }
            }
            if !provided { return false }
        }
        if !criterion.imageNames.isEmpty {
            guard let name = facts.name, criterion.imageNames.contains(where: { Wildcard.matches($0, name) }) else { return false }
        }
        if let days = criterion.maximumDaysSinceCreated {
            guard let created = facts.creationDate, asOf.timeIntervalSince(created) <= Double(days) * 86_400 else { return false }
        }
        if let days = criterion.maximumDaysSinceDeprecated, let deprecated = facts.deprecationTime, deprecated <= asOf,
           asOf.timeIntervalSince(deprecated) > Double(days) * 86_400 {
            return false
        }
        return criterion.marketplaceProductCodes.isEmpty ? true : nil
    }

    private static var examples: [CheckExample] {
        func settings(_ state: String, _ criteria: [ImageCriterion]?) -> RegionSettings {
            RegionSettings(accountId: "222222222222", region: "us-east-1", allowedImagesState: state,
                           allowedImageCriteria: criteria, allowedImagesManagedBy: "account")
        }
        let ownAccount = ImageCriterion(imageProviders: ["111111111111"], marketplaceProductCodes: [], imageNames: [],
                                        maximumDaysSinceCreated: nil, maximumDaysSinceDeprecated: nil)
        let amazonOnly = ImageCriterion(imageProviders: ["amazon"], marketplaceProductCodes: [], imageNames: [],
                                        maximumDaysSinceCreated: nil, maximumDaysSinceDeprecated: nil)
        let named = ImageCriterion(imageProviders: [], marketplaceProductCodes: [], imageNames: ["example-app-*"],
                                   maximumDaysSinceCreated: 60, maximumDaysSinceDeprecated: nil)
        let fresh = ImageCriterion(imageProviders: ["111111111111"], marketplaceProductCodes: [], imageNames: [],
                                   maximumDaysSinceCreated: 7, maximumDaysSinceDeprecated: nil)
        let codes = ImageCriterion(imageProviders: [], marketplaceProductCodes: ["abcdefghijklmnopqrstuvwxy"], imageNames: [],
                                   maximumDaysSinceCreated: nil, maximumDaysSinceDeprecated: nil)
        func context(_ s: RegionSettings) -> EvaluationContext { .workloadExample(settings: [s]) }
        let notAllowedByEC2 = Workload.example {
            $0.imageMetadata = ImageMetadata(imageId: Image.example().imageId, name: nil, ownerId: "111111111111", ownerAlias: nil,
                                             state: "available", creationDate: nil, deprecationTime: nil, isPublic: false, imageAllowed: false)
        }
        return [
            CheckExample("the owner is a trusted provider", workload: .example(), context: context(settings("audit-mode", [amazonOnly, ownAccount])), expect: .pass),
            CheckExample("name and age match", workload: .example(), context: context(settings("enabled", [named])), expect: .pass),
            CheckExample("disabled, no criteria", workload: .example(), context: context(settings("disabled", nil)), expect: .pass),
            CheckExample("disabled, empty criteria", workload: .example(), context: context(settings("disabled", [])), expect: .pass),
            CheckExample("disabled with criteria that exclude it", workload: .example(), context: context(settings("disabled", [amazonOnly])),
                         expect: .fail(evidence: ["allowedImagesState": "disabled", "imageAllowed": "no"], message: "would stop launching if Allowed AMIs were enabled")),
            CheckExample("audit mode: would stop launching", workload: .example(.autoScalingGroup), context: context(settings("audit-mode", [amazonOnly])),
                         expect: .fail(evidence: ["allowedImagesState": "audit-mode", "managedBy": "account", "imageAllowed": "no", "imageCriteria": "1"],
                                       message: "would stop launching if Allowed AMIs went from audit mode to enabled")),
            CheckExample("enabled: too old for the criterion", workload: .example(.launchTemplate), context: context(settings("enabled", [fresh])),
                         expect: .fail(evidence: ["allowedImagesState": "enabled", "imageAllowed": "no"], message: "can no longer launch it")),
            CheckExample("no criteria allow nothing", workload: .example(), context: context(settings("audit-mode", [])),
                         expect: .fail(evidence: ["imageCriteria": "0"])),
            CheckExample("EC2 says not allowed", workload: notAllowedByEC2, context: context(settings("audit-mode", [ownAccount])),
                         expect: .fail(evidence: ["imageAllowed": "no (EC2)"])),
            CheckExample("product codes cannot be judged", workload: .example(), context: context(settings("audit-mode", [codes])),
                         expect: .fail(evidence: ["imageAllowed": "cannot verify (Marketplace product codes are not collected)"])),
            CheckExample("nothing collected about the image", workload: .example(imageId: "ami-0unknown00000001"),
                         context: context(settings("audit-mode", [amazonOnly])), expect: .fail(evidence: ["imageSource": "not collected"])),
            CheckExample("criteria not read", workload: .example(), context: context(settings("audit-mode", nil)),
                         expect: .fail(evidence: ["imageCriteria": "not collected"])),
            CheckExample("settings not read", workload: .example(), context: .workloadExample(),
                         expect: .fail(evidence: ["allowedImagesState": "not collected"])),
        ]
    }
}

/// Allowed AMIs' name patterns: `*` any run of characters, `?` one character, nothing else special.
enum Wildcard {
    static func matches(_ pattern: String, _ value: String) -> Bool {
        let p = Array(pattern.unicodeScalars), v = Array(value.unicodeScalars)
        var pi = 0, vi = 0, star = -1, mark = 0
        while vi < v.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == v[vi]) {
                pi += 1; vi += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = vi; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; vi = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
