import Foundation

/// Every workload runs (or would launch) an approved image: one whose owner, tag or name the
/// policy approves, or that descends from an approved golden image through its `SourceImageId`
/// chain (copies keep it). Any one rule approving is enough. An image known only from instance
/// image metadata has no tags or source chain: only owner and name rules can approve it, and the
/// message says what could not be verified.
public struct ApprovedImageCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "approved-image",
        title: "Every workload's image is approved by owner, tag, name or descent from an approved golden image.",
        rationale: "An instance launched from an image nobody approved runs software nobody vetted (CIS AWS Compute 2.1.3, AWS Config approved-amis-by-id/-by-tag): a public or community image can carry malware or miss every hardening step of the golden image pipeline.",
        remediation: Remediation(
            "Rebuild the workload from an approved golden image (update the launch template, launch configuration or SSM parameter, then replace the instances), or approve the image by tagging it if it was vetted.",
            commands: [
                "aws ec2 describe-images --region <region> --image-ids <image-id> --query 'Images[].[OwnerId,ImageOwnerAlias,Name,SourceImageId]'",
                "aws ec2 create-launch-template-version --region <region> --launch-template-id <template-id> --source-version '$Latest' --launch-template-data '{\"ImageId\":\"<approved-image-id>\"}'",
                "aws autoscaling start-instance-refresh --region <region> --auto-scaling-group-name <group>",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-allowed-amis.html"),
        parameters: [
            ParameterDoc("owners", "[account id | organization | ou-… | amazon | aws-marketplace | aws-backup-vault]", "Approved owners: account ids, any member of the organisation, members directly under an OU, Amazon (and verified providers, which EC2 lists as amazon), AWS Marketplace, AWS Backup."),
            ParameterDoc("tags", "{key: value}", "A tag on the image that approves it; value '*' accepts any value."),
            ParameterDoc("names", "[regex]", "RE2 patterns an approved image's name contains a match of (anchor with ^ and $)."),
            ParameterDoc("golden", "[image id]", "Golden images approved by id."),
            ParameterDoc("descent-depth", "integer 0…10", "How many SourceImageId steps to follow looking for an approved ancestor (default 0: the image itself only)."),
            .workloadKinds,
        ],
        needs: [.images, .workloads, .referencedImages, .instanceImageMetadata, .organization],
        examples: examples)

    static let ownerAliases = ["amazon", "aws-marketplace", "aws-backup-vault"]
    static let maxDepth = 10

    public let owners: [String]
    public let tags: [(key: String, value: String)]
    let names: [PatternMatcher]
    public let golden: Set<String>
    public let descentDepth: Int
    public let kinds: Set<Workload.Kind>

    public init(parameters: CheckParameters) throws {
        owners = try parameters.strings("owners") ?? []
        for (i, owner) in owners.enumerated()
        where !(owner == "organization" || Self.ownerAliases.contains(owner) || owner.hasPrefix("ou-")
                || (owner.count == 12 && owner.allSatisfy(\.isASCII) && owner.allSatisfy(\.isNumber))) {
            let node = parameters.location("owners")?.sequence.map { Array($0)[i] }
            throw parameters.error("'owners' entry '\(owner)' is not a 12-digit account id, organization, an OU id (ou-…), \(Self.ownerAliases.joined(separator: ", "))", at: node)
        }
        let tagMap = try parameters.stringMap("tags") ?? [:]
        tags = tagMap.keys.sorted().map { ($0, tagMap[$0]!) }
        names = try parameters.patterns("names")
        golden = Set(try parameters.strings("golden") ?? [])
        let depth = try parameters.int("descent-depth") ?? 0
        guard (0...Self.maxDepth).contains(depth) else {
            throw parameters.error("'descent-depth' must be between 0 and \(Self.maxDepth), got \(depth)", at: parameters.location("descent-depth"))
        }
        descentDepth = depth
        kinds = try parameters.workloadKinds()
        if owners.isEmpty && tags.isEmpty && names.isEmpty && golden.isEmpty {
            throw parameters.error("give at least one of 'owners', 'tags', 'names' or 'golden'")
        }
        try parameters.finish()
    }

    public func evaluate(_ workload: Workload, in context: EvaluationContext) -> [Violation] {
        guard kinds.contains(workload.kind) else { return [] }
        let image = context.image(for: workload)
        if case .none = image { return [Self.noImage(workload, image)] }
        guard let facts = image.facts(region: workload.region) else {
            return [Self.cannotVerify(workload, image, what: "approved")]
        }
        if approval(facts, context: context) != nil { return [] }
        var evidence = image.evidence(for: workload)
        evidence["owner"] = facts.ownerId ?? facts.ownerAlias ?? "unknown"
        evidence["approvedBy"] = "none"
        var unknown: [String] = []
        if facts.tags == nil && !tags.isEmpty { unknown.append("its tags") }
        if descentDepth > 0 {
            let (chain, approvedAncestor, broken) = ancestry(facts, context: context)
            if approvedAncestor != nil { return [] }
            evidence["sourceChain"] = chain.isEmpty ? "none" : chain.joined(separator: " → ")
            if broken { unknown.append("its source chain beyond \(chain.last ?? facts.imageId)") }
        }
        let owner = facts.ownerAlias.map { "\($0) (\(facts.ownerId ?? "?"))" } ?? facts.ownerId ?? "an unknown owner"
        let name = facts.name.map { " named \(UntrustedText.quoted($0))" } ?? ""
        let unverified = unknown.isEmpty ? "" : "; \(unknown.joined(separator: " and ")) could not be read"
        return [Violation("The \(workload.kind.noun) uses image \(UntrustedText.quoted(facts.imageId))\(name) of \(owner), which no rule of the policy approves\(unverified).",
                          evidence: evidence)]
    }

    /// Which rule approves the image itself, if one does.
    func approval(_ facts: ImageFacts, context: EvaluationContext) -> String? {
        if golden.contains(facts.imageId) { return "golden \(facts.imageId)" }
        for owner in owners {
            switch owner {
            case "organization":
                if let id = facts.ownerId, context.organization?.memberAccountIds.contains(id) == true { return "owner organization" }
            case _ where Self.ownerAliases.contains(owner):
                if facts.ownerAlias == owner { return "owner \(owner)" }
            case _ where owner.hasPrefix("ou-"):
                if let id = facts.ownerId, context.accounts[id]?.parentId == owner { return "owner \(owner)" }
            default:
                if facts.ownerId == owner { return "owner \(owner)" }
            }
        }
        if let imageTags = facts.tags {
            for rule in tags {
                if let value = imageTags.first(where: { $0.key == rule.key })?.value, rule.value == "*" || value == rule.value {
                    return "tag \(rule.key)"
                }
            }
        }
        if let name = facts.name, let matcher = names.first(where: { $0.matches(name) }) { return "name \(matcher.pattern)" }
        return nil
    }

    /// The image's ancestors through SourceImageId, up to `descentDepth`: the ids followed, the
    /// first approved one, and whether the chain left the scan before either was found.
    func ancestry(_ facts: ImageFacts, context: EvaluationContext) -> (chain: [String], approved: String?, broken: Bool) {
        var chain: [String] = []
        var current = facts
        var seen: Set<String> = [facts.imageId]
        for _ in 0..<descentDepth {
            guard let source = current.sourceImageId else { return (chain, nil, false) }
            chain.append(source)
            guard seen.insert(source).inserted else { return (chain, nil, false) }
            // A golden image may be deregistered after copying: its id alone still approves.
            if golden.contains(source) { return (chain, source, false) }
            guard let ancestor = context.anyImage(ImageKey(region: current.sourceImageRegion ?? current.region, imageId: source)) else {
                return (chain, nil, true)
            }
            let ancestorFacts = ImageFacts(ancestor)
            if approval(ancestorFacts, context: context) != nil { return (chain, source, false) }
            current = ancestorFacts
        }
        return (chain, nil, current.sourceImageId != nil)
    }

    private static var examples: [CheckExample] {
        let foreign = Image(accountId: "222222222222", region: "us-east-1", imageId: "ami-0foreign000000001",
                            name: "community-web", ownerId: "999999999999", creationDate: Image.daysBeforeExampleAsOf(40),
                            state: "available", isPublic: true)
        let marketplace = Image(accountId: "222222222222", region: "us-east-1", imageId: "ami-0market0000000001",
                                name: "vendor-firewall", ownerId: "679593333241", ownerAlias: "aws-marketplace",
                                creationDate: Image.daysBeforeExampleAsOf(40), state: "available", isPublic: true)
        let golden = Image.example("ami-0golden000000001") { $0.tags = [Tag("approved", "true")] }
        let copy = Image.example("ami-0copy0000000001") { $0.sourceImageId = "ami-0golden000000001"; $0.sourceImageRegion = "us-east-1" }
        let owned = EvaluationContext.workloadExample(owned: [.example(), golden, copy],
                                                      referenced: [ReferencedImage(accountId: "222222222222", region: "us-east-1", imageId: foreign.imageId, image: foreign),
                                                                   ReferencedImage(accountId: "222222222222", region: "us-east-1", imageId: marketplace.imageId, image: marketplace)])
        let onForeign = Workload.example(imageId: foreign.imageId)
        let onMarketplace = Workload.example(.launchTemplate, imageId: marketplace.imageId)
        let onCopy = Workload.example(.autoScalingGroup, imageId: copy.imageId) { $0.via = "launch-template lt-0abc:$Default" }
        let metadataOnly = Workload.example(imageId: "ami-0hidden000000001") {
            $0.imageMetadata = ImageMetadata(imageId: "ami-0hidden000000001", name: "hidden", ownerId: "999999999999",
                                             ownerAlias: nil, state: "available", creationDate: nil, deprecationTime: nil,
                                             isPublic: false, imageAllowed: nil)
        }
        return [
            CheckExample("owned by a member of the organisation", params: "owners: [organization]",
                         workload: .example(), context: owned, expect: .pass),
            CheckExample("owner's OU approved", params: "owners: [ou-exam-11111111]", workload: .example(), context: owned, expect: .pass),
            CheckExample("Marketplace approved", params: "owners: [aws-marketplace]", workload: onMarketplace, context: owned, expect: .pass),
            CheckExample("approved by tag", params: "tags: {approved: 'true'}",
                         workload: .example(imageId: golden.imageId), context: owned, expect: .pass),
            CheckExample("approved by name", params: "names: ['^community-']", workload: onForeign, context: owned, expect: .pass),
            CheckExample("a copy of a tagged golden image", params: "tags: {approved: 'true'}\ndescent-depth: 2",
                         workload: onCopy, context: owned, expect: .pass),
            CheckExample("a public image of a foreign account", params: "owners: [organization, amazon]",
                         workload: onForeign, context: owned,
                         expect: .fail(evidence: ["owner": "999999999999", "approvedBy": "none", "imageSource": "DescribeImages"])),
            CheckExample("a copy is not its source without descent", params: "tags: {approved: 'true'}",
                         workload: onCopy, context: owned,
                         expect: .fail(evidence: ["workload": "auto-scaling-group", "via": "launch-template lt-0abc:$Default", "approvedBy": "none"])),
            CheckExample("descent beyond the scan cannot approve", params: "golden: [ami-0other000000001]\ndescent-depth: 3",
                         workload: .example(imageId: copy.imageId), context: EvaluationContext.workloadExample(owned: [copy]),
                         expect: .fail(evidence: ["sourceChain": "ami-0golden000000001"], message: "its source chain beyond ami-0golden000000001 could not be read")),
            CheckExample("only metadata: tags unknown", params: "tags: {approved: 'true'}", workload: metadataOnly, context: owned,
                         expect: .fail(evidence: ["imageSource": "DescribeInstanceImageMetadata"], message: "its tags could not be read")),
            CheckExample("nothing collected about the image", params: "owners: [organization]",
                         workload: .example(imageId: "ami-0unknown00000001"), context: owned,
                         expect: .fail(evidence: ["imageSource": "not collected"], message: "cannot be verified")),
            CheckExample("names no image", params: "owners: [organization]",
                         workload: .example(.autoScalingGroup, imageId: nil) { $0.via = "launch-template lt-0gone" }, context: owned,
                         expect: .fail(evidence: ["imageId": "none", "via": "launch-template lt-0gone"])),
        ]
    }
}
