import Testing
@testable import AmigoCore

/// The tags check's messages for one image tagged `tags`, under `params`.
private func violations(_ params: String, _ tags: [AmigoCore.Tag]) throws -> [String] {
    let check = try TagsCheck(parameters: try CheckParameters(yaml: params))
    return check.evaluate(.example { $0.tags = tags }, in: .example).map(\.message)
}

/// The error a policy with these tags parameters gets, as `file:line:column: error: …`.
private func policyErrors(_ params: String) -> [String] {
    do {
        _ = try PolicyLoader.load(yaml: "policies:\n  - id: ami-tags\n    check: tags\n    severity: low\n    params:\n" + params,
                                  file: "p.yml")
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

struct TagsPatternTests {
    /// With a backtracking engine each of these runs for hours on a 30-character value that
    /// almost matches; with RE2 it is linear. No timing here: a hang is the failure.
    @Test(arguments: [#"^(a+)+$"#, #"^([a-z0-9]+[._-]?)+@example\.com$"#, #"^(a|a)*$"#, #"^(a|aa)+$"#])
    func nestedQuantifiersFinishOnALongValue(pattern: String) throws {
        let params = "patterns: { Owner: '\(pattern)' }"
        let almost = String(repeating: "a", count: 30) + "!"
        #expect(try violations(params, [AmigoCore.Tag("Owner", almost)]).count == 1)
        #expect(try violations(params, [AmigoCore.Tag("Owner", String(repeating: "a", count: 30))]).isEmpty
                || pattern.contains("example"))
    }

    @Test func matchingIsASearchUnlessAnchored() throws {
        #expect(try violations("patterns: { Owner: 'team' }", [AmigoCore.Tag("Owner", "my-team-x")]).isEmpty)
        #expect(try violations("patterns: { Owner: '^team$' }", [AmigoCore.Tag("Owner", "my-team")]).count == 1)
        #expect(try violations("patterns: { Owner: '^team$' }", [AmigoCore.Tag("Owner", "team")]).isEmpty)
        #expect(try violations("patterns: { Owner: '(?i)^TEAM$' }", [AmigoCore.Tag("Owner", "team")]).isEmpty)
    }

    /// A value with a trailing newline is not the anchored value the author meant.
    @Test func dollarDoesNotMatchBeforeAFinalNewline() throws {
        #expect(try violations("patterns: { Owner: '^team$' }", [AmigoCore.Tag("Owner", "team\n")]).count == 1)
    }

    @Test(arguments: [
        (#"^(a)\1$"#, "invalid escape sequence: \\1"),
        (#"^(?=admin)"#, "invalid perl operator: (?="),
        (#"^(?!admin)"#, "invalid perl operator: (?!"),
        (#"(?<=x)y"#, "invalid perl operator: (?<"),
        (#"a++"#, "bad repetition operator: ++"),
    ])
    func patternsNeedingBacktrackingAreRejectedWithRE2sMessage(pattern: String, message: String) {
        #expect(policyErrors("      patterns: { Owner: '\(pattern)' }\n")
                == ["p.yml:6:26: error: policy 'ami-tags': 'patterns.Owner' is not a valid RE2 regular expression: \(message)"])
    }
}

struct TagsEmptyValueTests {
    @Test(arguments: ["", "   ", "\t\n"])
    func emptyOrBlankValueCountsAsMissing(value: String) throws {
        let found = try violations("required: [Owner]", [AmigoCore.Tag("Owner", value)])
        #expect(found.count == 1)
        #expect(found.first?.contains("empty") == true, "\(found)")
    }

    @Test func allowEmptyRestoresPresenceOnly() throws {
        #expect(try violations("required: [Owner]\nallow-empty: true", [AmigoCore.Tag("Owner", "")]).isEmpty)
        #expect(try violations("required: [Owner]\nallow-empty: true", []).count == 1)
    }

    /// An empty required tag is one problem, not also a value that matches no pattern.
    @Test func emptyRequiredTagIsReportedOnce() throws {
        #expect(try violations("required: [Owner]\npatterns: { Owner: '.' }", [AmigoCore.Tag("Owner", "")]).count == 1)
    }

    @Test func allowEmptyMustBeABoolean() {
        #expect(policyErrors("      required: [Owner]\n      allow-empty: sometimes\n")
                == ["p.yml:7:20: error: policy 'ami-tags': 'allow-empty' must be true or false"])
    }
}
