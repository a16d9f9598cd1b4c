import Foundation

/// Required tag keys, allowed values and value patterns. Keys are case-sensitive, as in AWS.
/// `values` and `patterns` constrain a tag only when it is present; list it in `required` to
/// demand it. A required tag whose value is empty or only whitespace names no owner, so it
/// counts as missing unless `allow-empty: true`. Tag values are chosen by whoever can tag an
/// image: messages quote them escaped and shortened, patterns run on RE2 (time linear in the
/// value), and values longer than AWS's 256-character limit are never matched.
public struct TagsCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "tags",
        title: "Required tags are present and their values are allowed or match a pattern.",
        rationale: "Tags say who owns an image and what it is for; without them nobody can be asked to patch, keep or retire it, and cost and access policies keyed on tags miss it.",
        remediation: Remediation(
            "Add the missing tags, or correct the values, on the image (and in the build pipeline that registers it).",
            commands: [
                "aws ec2 create-tags --region <region> --resources <image-id> --tags Key=<key>,Value=<value>",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html"),
        parameters: [
            ParameterDoc("required", "[key]", "Tag keys every image must carry (case-sensitive), with a value that is not empty or only whitespace."),
            ParameterDoc("allow-empty", "bool", "Let an empty or whitespace-only value satisfy 'required' (default false)."),
            ParameterDoc("values", "{key: [value]}", "Allowed values of a tag, when present."),
            ParameterDoc("patterns", "{key: regex}", "An RE2 regular expression a tag's value must contain a match of, when present (anchor with ^ and $; backreferences and lookaround are not RE2)."),
        ],
        needs: [.images],
        examples: examples)
    static let maxValueLength = 256

    public let required: [String]
    public let allowEmpty: Bool
    public let values: [(key: String, allowed: Set<String>, listed: String)]
    let patterns: [(key: String, matcher: PatternMatcher)]

    public init(parameters: CheckParameters) throws {
        required = try parameters.strings("required") ?? []
        allowEmpty = try parameters.bool("allow-empty") ?? false
        let valueLists = try parameters.stringLists("values") ?? [:]
        values = valueLists.keys.sorted().map { key in
            (key, Set(valueLists[key]!), valueLists[key]!.joined(separator: ", "))
        }
        let patternMap = try parameters.stringMap("patterns") ?? [:]
        var compiled: [(String, PatternMatcher)] = []
        for key in patternMap.keys.sorted() {
            do {
                compiled.append((key, try PatternMatcher(patternMap[key]!)))
            } catch {
                let node = parameters.location("patterns")?.mapping?[key]
                throw parameters.error("'patterns.\(key)' is not a valid RE2 regular expression: \(error)", at: node)
            }
        }
        patterns = compiled
        if required.isEmpty && values.isEmpty && patterns.isEmpty {
            throw parameters.error("give at least one of 'required', 'values' or 'patterns'")
        }
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        var violations: [Violation] = []
        var blank: Set<String> = []
        for key in required {
            guard let value = Self.tag(image, key) else {
                violations.append(Violation("Required tag \(UntrustedText.quoted(key)) is missing.",
                                            evidence: ["tag": key, "value": "missing"], discriminator: "required \(key)"))
                continue
            }
            if !allowEmpty && value.allSatisfy(\.isWhitespace) {
                blank.insert(key)
                violations.append(Violation("Required tag \(UntrustedText.quoted(key)) is empty.",
                                            evidence: ["tag": key, "value": value.isEmpty ? "empty" : "whitespace only"],
                                            discriminator: "required \(key)"))
            }
        }
        // A blank required tag is reported once, as missing, not again as a value that fails a rule.
        for rule in values where !blank.contains(rule.key) {
            guard let value = Self.tag(image, rule.key), !rule.allowed.contains(value) else { continue }
            violations.append(Violation("Tag \(UntrustedText.quoted(rule.key)) has value \(UntrustedText.quoted(value)), which is not one of: \(rule.listed).",
                                        evidence: ["tag": rule.key, "value": value, "allowed": rule.listed],
                                        discriminator: "values \(rule.key)"))
        }
        for rule in patterns where !blank.contains(rule.key) {
            guard let value = Self.tag(image, rule.key) else { continue }
            if value.unicodeScalars.count > Self.maxValueLength {
                violations.append(Violation("Tag \(UntrustedText.quoted(rule.key)) has a value longer than the \(Self.maxValueLength) characters AWS allows, so it was not matched against the pattern \(rule.matcher.pattern).",
                                            evidence: ["tag": rule.key, "value": String(value.prefix(Self.maxValueLength)) + "…",
                                                       "pattern": rule.matcher.pattern],
                                            discriminator: "patterns \(rule.key)"))
                continue
            }
            if rule.matcher.matches(value) { continue }
            violations.append(Violation("Tag \(UntrustedText.quoted(rule.key)) has value \(UntrustedText.quoted(value)), which does not match the pattern \(rule.matcher.pattern).",
                                        evidence: ["tag": rule.key, "value": value, "pattern": rule.matcher.pattern],
                                        discriminator: "patterns \(rule.key)"))
        }
        return violations
    }

    /// `Image.tag(_:)` without copying every Tag it passes.
    static func tag(_ image: Image, _ key: String) -> String? {
        for i in image.tags.indices where image.tags[i].key == key { return image.tags[i].value }
        return nil
    }

    private static var examples: [CheckExample] {
        let baseline = """
            required: [Owner, Environment]
            values: { Environment: [prod, staging, dev] }
            patterns: { Owner: '^[a-z][a-z0-9.-]*@example\\.com$' }
            """
        let good = [Tag("Owner", "web-team@example.com"), Tag("Environment", "prod")]
        func tagged(_ tags: [Tag]) -> Image { .example { $0.tags = tags } }
        return [
            CheckExample("all required tags, good values", params: baseline, image: tagged(good), expect: .pass),
            CheckExample("extra tags are fine", params: baseline, image: tagged(good + [Tag("Cost", "42")]), expect: .pass),
            CheckExample("values constrain only present tags", params: "values: { Environment: [prod] }",
                         image: tagged([]), expect: .pass),
            CheckExample("required only", params: "required: Owner", image: tagged([Tag("Owner", "anyone")]),
                         expect: .pass),
            CheckExample("missing Environment", params: baseline, image: tagged([good[0]]), expect: .fail(evidence: ["tag": "Environment", "value": "missing"])),
            CheckExample("keys are case-sensitive", params: baseline,
                         image: tagged([Tag("owner", "web-team@example.com"), good[1]]), expect: .fail(evidence: ["tag": "Owner", "value": "missing"])),
            CheckExample("value not allowed", params: baseline, image: tagged([good[0], Tag("Environment", "test")]),
                         expect: .fail(evidence: ["tag": "Environment", "value": "test"], message: "which is not one of")),
            CheckExample("value not matching the pattern", params: baseline,
                         image: tagged([Tag("Owner", "nobody"), good[1]]), expect: .fail(evidence: ["tag": "Owner", "value": "nobody"], message: "does not match the pattern")),
            CheckExample("pattern must match the whole value when anchored", params: baseline,
                         image: tagged([Tag("Owner", "web-team@example.com.evil.org"), good[1]]), expect: .fail(evidence: ["tag": "Owner", "value": "web-team@example.com.evil.org"], message: "does not match the pattern")),
            CheckExample("control characters in a value", params: baseline,
                         image: tagged([Tag("Owner", "x@example.com\n\u{202E}forged"), good[1]]), expect: .fail(evidence: ["tag": "Owner"], message: "does not match the pattern")),
            CheckExample("empty value of a required tag", params: baseline,
                         image: tagged([Tag("Owner", ""), good[1]]), expect: .fail(evidence: ["tag": "Owner", "value": "empty"])),
            CheckExample("whitespace-only value of a required tag", params: "required: Owner",
                         image: tagged([Tag("Owner", "  ")]), expect: .fail(evidence: ["tag": "Owner", "value": "whitespace only"])),
            CheckExample("allow-empty accepts an empty value", params: "required: Owner\nallow-empty: true",
                         image: tagged([Tag("Owner", "")]), expect: .pass),
            CheckExample("value longer than AWS allows", params: "patterns: { Owner: '^a+$' }",
                         image: tagged([Tag("Owner", String(repeating: "a", count: 300))]), expect: .fail(evidence: ["tag": "Owner"], message: "longer than the 256 characters AWS allows")),
        ]
    }
}
