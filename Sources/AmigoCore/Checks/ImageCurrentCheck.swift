import Foundation

/// Every workload's image is current: still there (not deregistered, not gone from the
/// account's view), not disabled, not deprecated, not older than `max-days`, and not superseded
/// for longer than `grace-days` by a newer image of its family. A family is the images of one
/// owner in one region whose names match the same `families` pattern, or that carry the same
/// value of `family-tag`; the newer image must be available and not deprecated.
public struct ImageCurrentCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "image-current",
        title: "Every workload's image exists, is enabled, not deprecated, young enough and not superseded for longer than grace-days.",
        rationale: "A workload on a deregistered, deprecated or superseded image runs without the patches its owner has shipped since, and an Auto Scaling group or template pointing at a deregistered image fails its next launch (Prowler ec2_instance_with_outdated_ami, Cloud Custodian image-age).",
        remediation: Remediation(
            "Point the launch template, launch configuration or SSM parameter at the family's current image, then replace the instances (an instance refresh for a group).",
            commands: [
                "aws ec2 describe-images --region <region> --image-ids <image-id> --include-deprecated --include-disabled",
                "aws ec2 create-launch-template-version --region <region> --launch-template-id <template-id> --source-version '$Latest' --launch-template-data '{\"ImageId\":\"<current-image-id>\"}'",
                "aws autoscaling start-instance-refresh --region <region> --auto-scaling-group-name <group>",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-deprecate.html"),
        parameters: [
            ParameterDoc("max-days", "integer > 0", "Oldest allowed image age in days (off by default)."),
            ParameterDoc("grace-days", "integer ≥ 0", "How long a workload may stay on an image after a newer one of its family appeared (default 30)."),
            ParameterDoc("families", "[regex]", "RE2 patterns naming image families: images of one owner and region whose names match the same pattern are one family."),
            ParameterDoc("family-tag", "tag key", "Images of one owner and region with the same value of this tag are one family."),
            .workloadKinds,
        ],
        needs: [.images, .workloads, .referencedImages],
        examples: examples)

    public let maxDays: Int?
    public let graceDays: Int
    let families: [PatternMatcher]
    public let familyTag: String?
    public let kinds: Set<Workload.Kind>

    public init(parameters: CheckParameters) throws {
        maxDays = try parameters.int("max-days")
        if let days = maxDays, days <= 0 {
            throw parameters.error("'max-days' must be greater than 0, got \(days)", at: parameters.location("max-days"))
        }
        graceDays = try parameters.int("grace-days") ?? 30
        guard graceDays >= 0 else {
            throw parameters.error("'grace-days' must be 0 or more, got \(graceDays)", at: parameters.location("grace-days"))
        }
        families = try parameters.patterns("families")
        familyTag = try parameters.string("family-tag")
        kinds = try parameters.workloadKinds()
        try parameters.finish()
    }

    public func evaluate(_ workload: Workload, in context: EvaluationContext) -> [Violation] {
        guard kinds.contains(workload.kind) else { return [] }
        let image = context.image(for: workload)
        let evidence = image.evidence(for: workload)
        let id = UntrustedText.quoted(workload.imageId ?? "none")
        switch image {
        case .none: return [Self.noImage(workload, image)]
        case .unknown: return [Self.cannotVerify(workload, image, what: "current")]
        case .notFound:
            return [Violation("The \(workload.kind.noun) uses image \(id), which EC2 no longer finds: it was deregistered or is no longer shared with the account.",
                              evidence: evidence.merging(["imageState": "not found"]) { _, new in new }, discriminator: "not found")]
        case .image, .metadata: break
        }
        guard let facts = image.facts(region: workload.region) else { return [] }
        var violations: [Violation] = []
        if let state = facts.state, state != "available" {
            violations.append(Violation("The \(workload.kind.noun) uses image \(id), whose state is \(UntrustedText.quoted(state)).",
                                        evidence: evidence.merging(["imageState": state]) { _, new in new }, discriminator: "state"))
        }
        if let time = facts.deprecationTime, time <= context.asOf {
            violations.append(Violation("The \(workload.kind.noun) uses image \(id), deprecated on \(CivilDate.day(time)).",
                                        evidence: evidence.merging(["deprecationTime": CivilDate.timestamp(time)]) { _, new in new },
                                        discriminator: "deprecated"))
        }
        if let maxDays {
            if let created = facts.creationDate {
                let age = Int((context.asOf.timeIntervalSince(created) / 86_400).rounded(.down))
                if age > maxDays {
                    violations.append(Violation("The \(workload.kind.noun) uses image \(id), \(age) days old (created \(CivilDate.day(created))), more than the \(maxDays) days allowed.",
                                                evidence: evidence.merging(["ageDays": String(age), "maxDays": String(maxDays)]) { _, new in new },
                                                discriminator: "age"))
                }
            } else {
                violations.append(Violation("The \(workload.kind.noun) uses image \(id), whose creation date is unknown, so its age cannot be verified.",
                                            evidence: evidence.merging(["creationDate": "unknown", "maxDays": String(maxDays)]) { _, new in new },
                                            discriminator: "age"))
            }
        }
        if let superseded = supersession(facts, context: context) { violations.append(superseded.violation(workload, id, evidence, graceDays)) }
        return violations
    }

    struct Supersession {
        let newest: Image
        let since: Date
        let days: Int

        func violation(_ workload: Workload, _ id: String, _ evidence: [String: String], _ graceDays: Int) -> Violation {
            Violation("The \(workload.kind.noun) uses image \(id), superseded \(days) days ago (since \(CivilDate.day(since))) by \(UntrustedText.quoted(newest.imageId))\(newest.name.map { " " + UntrustedText.quoted($0) } ?? ""), longer than the \(graceDays) days of grace.",
                      evidence: evidence.merging(["supersededBy": newest.imageId, "supersededSince": CivilDate.timestamp(since),
                                                  "graceDays": String(graceDays)]) { _, new in new },
                      discriminator: "superseded")
        }
    }

    /// The family's newest image and when the first newer one appeared, when that was more than
    /// `grace-days` ago.
    func supersession(_ facts: ImageFacts, context: EvaluationContext) -> Supersession? {
        guard let owner = facts.ownerId, let created = facts.creationDate, let family = family(of: facts) else { return nil }
        let newer = context.images(owner: owner, region: facts.region).filter { candidate in
            guard let date = candidate.creationDate, date > created, candidate.imageId != facts.imageId,
                  candidate.state == "available", !(candidate.deprecationTime.map { $0 <= context.asOf } ?? false)
            else { return false }
            return self.family(of: ImageFacts(candidate)) == family
        }
        guard let first = newer.compactMap(\.creationDate).min(),
              let newest = newer.max(by: { ($0.creationDate!, $0.imageId) < ($1.creationDate!, $1.imageId) }) else { return nil }
        let days = Int((context.asOf.timeIntervalSince(first) / 86_400).rounded(.down))
        return days > graceDays ? Supersession(newest: newest, since: first, days: days) : nil
    }

    /// Which family the image belongs to: the first matching name pattern, else its family tag.
    func family(of facts: ImageFacts) -> String? {
        if let name = facts.name, let i = families.firstIndex(where: { $0.matches(name) }) { return "name \(i)" }
        if let key = familyTag, let value = facts.tags?.first(where: { $0.key == key })?.value { return "tag \(value)" }
        return nil
    }

    private static var examples: [CheckExample] {
        let old = Image.example("ami-0old00000000000001", created: Image.daysBeforeExampleAsOf(200)) { $0.name = "web-2025.06" }
        let newer = Image.example("ami-0new00000000000001", created: Image.daysBeforeExampleAsOf(45)) { $0.name = "web-2025.11" }
        let newest = Image.example("ami-0newest0000000001", created: Image.daysBeforeExampleAsOf(10)) { $0.name = "web-2025.12" }
        let deprecated = Image.example("ami-0deprecated000001") { $0.deprecationTime = Image.daysBeforeExampleAsOf(3) }
        let disabled = Image.example("ami-0disabled00000001") { $0.state = "disabled" }
        let family = EvaluationContext.workloadExample(owned: [.example(), old, newer, newest, deprecated, disabled])
        let gone = EvaluationContext.workloadExample(referenced: [ReferencedImage(accountId: "222222222222", region: "us-east-1",
                                                                                    imageId: "ami-0gone000000000001", image: nil)])
        let tagged = EvaluationContext.workloadExample(owned: [
            .example("ami-0tagold0000000001", created: Image.daysBeforeExampleAsOf(100)) { $0.tags = [Tag("family", "base")] },
            .example("ami-0tagnew0000000001", created: Image.daysBeforeExampleAsOf(60)) { $0.tags = [Tag("family", "base")] },
        ])
        let families = "families: ['^web-']"
        return [
            CheckExample("the family's newest image", params: families, workload: .example(imageId: newest.imageId), context: family, expect: .pass),
            CheckExample("superseded within grace-days", params: families + "\ngrace-days: 30",
                         workload: .example(imageId: newer.imageId), context: family, expect: .pass),
            CheckExample("no family configured", workload: .example(imageId: old.imageId), context: family, expect: .pass),
            CheckExample("young enough", params: "max-days: 60", workload: .example(), context: family, expect: .pass),
            CheckExample("superseded for longer than grace-days", params: families, workload: .example(imageId: old.imageId), context: family,
                         expect: .fail(evidence: ["supersededBy": "ami-0newest0000000001", "supersededSince": "2025-11-17T00:00:00Z", "graceDays": "30"])),
            CheckExample("superseded within a tag family", params: "family-tag: family\ngrace-days: 7",
                         workload: .example(.launchTemplate, imageId: "ami-0tagold0000000001"), context: tagged,
                         expect: .fail(evidence: ["supersededBy": "ami-0tagnew0000000001", "workload": "launch-template"])),
            CheckExample("older than max-days", params: "max-days: 90", workload: .example(imageId: old.imageId), context: family,
                         expect: .fail(evidence: ["ageDays": "200", "maxDays": "90"])),
            CheckExample("deprecated", workload: .example(imageId: deprecated.imageId), context: family,
                         expect: .fail(evidence: ["deprecationTime": "2025-12-29T00:00:00Z"])),
            CheckExample("disabled", workload: .example(imageId: disabled.imageId), context: family,
                         expect: .fail(evidence: ["imageState": "disabled"])),
            CheckExample("deregistered after launch", workload: .example(imageId: "ami-0gone000000000001"), context: gone,
                         expect: .fail(evidence: ["imageState": "not found", "imageSource": "not found"])),
            CheckExample("metadata says the image is gone", workload: .example(imageId: "ami-0gone000000000002") {
                $0.imageMetadata = ImageMetadata(imageId: "ami-0gone000000000002", name: nil, ownerId: "999999999999", ownerAlias: nil,
                                                 state: nil, creationDate: nil, deprecationTime: nil, isPublic: nil, imageAllowed: nil)
            }, context: family, expect: .fail(evidence: ["imageState": "not found"])),
            CheckExample("nothing collected about the image", workload: .example(imageId: "ami-0unknown00000001"), context: family,
                         expect: .fail(evidence: ["imageSource": "not collected"])),
        ]
    }
}
