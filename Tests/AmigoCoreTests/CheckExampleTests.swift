import Testing
@testable import AmigoCore

/// One case per example of every registered check, whatever its subject: a new check's
/// examples run without touching this file.
struct ExampleCase: Sendable, CustomTestStringConvertible {
    let check: any Check.Type
    let example: CheckExample

    var testDescription: String {
        "\(check.descriptor.id): \(example.name) (\(example.expect.passes ? "pass" : "fail"))"
    }

    static var all: [ExampleCase] {
        CheckRegistry.all.flatMap { check in check.descriptor.examples.map { ExampleCase(check: check, example: $0) } }
    }

    func run() throws -> [Violation] {
        try Self.run(check, example)
    }

    private static func run<C: Check>(_ check: C.Type, _ example: CheckExample) throws -> [Violation] {
        let subject = try #require(example.subject as? C.Subject,
                                   "\(check.descriptor.id): example '\(example.name)' is about a \(type(of: example.subject).resourceType), not a \(C.resourceType)")
        let instance = try check.init(parameters: try CheckParameters(yaml: example.params))
        return instance.evaluate(subject, in: example.context)
    }
}

@Test("every check example passes, or fails with the evidence it names", arguments: ExampleCase.all)
func checkExample(_ testCase: ExampleCase) throws {
    let violations = try testCase.run()
    switch testCase.example.expect {
    case .pass:
        #expect(violations.isEmpty, "unexpected: \(violations.map(\.message))")
    case .fail(let evidence, let message):
        #expect(!evidence.isEmpty, "a fail example names the evidence it expects")
        let matching = violations.filter { violation in
            let actual = violation.evidence.dictionary
            return evidence.allSatisfy { actual[$0.key] == $0.value }
                && (message.map { violation.message.contains($0) } ?? true)
        }
        #expect(!matching.isEmpty,
                "expected a violation with \(evidence)\(message.map { " saying '\($0)'" } ?? ""), got \(violations.map { "\($0.message) \($0.evidence.dictionary)" })")
    }
    for violation in violations {
        #expect(!violation.evidence.isEmpty, "a violation must say what decided it: \(violation.message)")
        #expect(!violation.message.contains("\n"), "messages are one line: \(violation.message)")
    }
}

@Test func everyCheckIsRegisteredOnceAndDescribedInFull() {
    let ids = CheckRegistry.ids
    #expect(ids == ids.sorted() && Set(ids).count == ids.count, "ids are unique and the registry is sorted: \(ids)")
    #expect(ids.count == 17)
    for check in CheckRegistry.all {
        let d = check.descriptor
        #expect(d.id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } && !d.id.isEmpty, "\(d.id)")
        #expect(CheckRegistry.type(for: d.id) == check)
        #expect(Set(d.examples.map(\.expect.passes)) == [true, false], "\(d.id): examples that pass and fail")
        #expect(!d.title.isEmpty && !d.rationale.isEmpty && !d.remediation.summary.isEmpty, "\(d.id)")
        #expect(!d.remediation.commands.isEmpty, "\(d.id): the AWS CLI commands a reviewer would run")
        #expect(d.remediation.commands.allSatisfy { $0.hasPrefix("aws ") }, "\(d.id): \(d.remediation.commands)")
        #expect(d.remediation.documentation.hasPrefix("https://docs.aws.amazon.com/"), "\(d.id)")
        #expect(!d.needs.isEmpty, "\(d.id)")
        if check.resourceType == Finding.regionResourceType {
            #expect(d.examples.contains { ($0.subject as? AccountRegion)?.settings == nil && !$0.expect.passes },
                    "\(d.id): settings that were not collected must fail closed")
            #expect(d.needs == [.regionSettings], "\(d.id)")
        }
        if check.resourceType == Finding.workloadResourceType {
            #expect(d.examples.contains { !$0.expect.passes && $0.expect.evidence["imageSource"] == "not collected" },
                    "\(d.id): an image nothing was collected about must fail closed")
            #expect(d.needs.isSuperset(of: [.images, .workloads]), "\(d.id)")
        }
    }
    #expect(CheckRegistry.all.filter { $0.resourceType == Finding.regionResourceType }.map { $0.descriptor.id } ==
            ["allowed-images-settings", "ebs-encryption-by-default", "image-block-public-access",
             "snapshot-block-public-access"])
    #expect(CheckRegistry.all.filter { $0.resourceType == Finding.workloadResourceType }.map { $0.descriptor.id } ==
            ["approved-image", "image-allowed", "image-current"])
    #expect(CheckRegistry.type(for: "nope") == nil)
}

@Test func sharingChecksJudgeGranteesAlike() throws {
    // snapshot-sharing reuses cross-account-sharing's allow-list: same parameters, same verdicts.
    let yaml = #"allow: [organization, "333333333333", "arn:aws:organizations::999999999999:ou/o-foreign/*"]"#
    let list = try SharingAllowList(try CheckParameters(yaml: yaml))
    let org = EvaluationContext.example.organization
    let grants: [(LaunchPermission, Bool)] = [
        (.account("222222222222"), true), (.account("333333333333"), true), (.account("444444444444"), false),
        (.organization(org!.arn), true), (.organization("arn:aws:organizations::999999999999:organization/o-foreign"), false),
        (.organizationalUnit("arn:aws:organizations::999999999999:ou/o-foreign/ou-zz99-1"), true),
        (.organizationalUnit("arn:aws:organizations::888888888888:ou/o-other/ou-1"), false),
    ]
    for (grant, allowed) in grants {
        #expect(list.allows(grant, owner: "111111111111", organization: org) == allowed, "\(grant)")
    }
    #expect(!list.allows(.account("222222222222"), owner: "111111111111", organization: nil),
            "membership unknown: a member account cannot be told from an outsider")
    #expect(throws: PolicyError.self) { try SharingAllowList(try CheckParameters(yaml: "allow: [everyone]")) }
}

@Test func regionCheckParametersAreValidated() throws {
    let bad = try CheckParameters(yaml: "allowed: [enabled, on]", policyId: "p", file: "f.yml")
    let error = try #require(throws: PolicyError.self) { try AllowedImagesSettingsCheck(parameters: bad) }
    #expect(error.description == "f.yml:1:20: error: policy 'p': 'allowed' entry 'on' is not one of enabled, audit-mode, disabled")
    #expect(throws: PolicyError.self) {
        try SnapshotBlockPublicAccessCheck(parameters: try CheckParameters(yaml: "allowed: []"))
    }
    #expect(throws: PolicyError.self) {
        try EBSEncryptionByDefaultCheck(parameters: try CheckParameters(yaml: "required: true"))
    }
    #expect(try SnapshotBlockPublicAccessCheck(parameters: try CheckParameters(yaml: "")).allowed
            == ["block-all-sharing", "block-new-sharing"])
    #expect(try AllowedImagesSettingsCheck(parameters: try CheckParameters(yaml: "")).allowed == ["enabled"])
}
