import Testing
@testable import AmigoCore

/// One case per example of every registered check, image or region: a new check's examples
/// run without touching this file.
struct ExampleCase: Sendable, CustomTestStringConvertible {
    enum Kind: Sendable {
        case image(any Check.Type, CheckExample)
        case region(any RegionCheck.Type, RegionCheckExample)
    }
    let kind: Kind

    var testDescription: String {
        switch kind {
        case .image(let check, let e): "\(check.id): \(e.name) (\(e.expect.rawValue))"
        case .region(let check, let e): "\(check.id) [region]: \(e.name) (\(e.expect.rawValue))"
        }
    }

    static var all: [ExampleCase] {
        CheckRegistry.all.flatMap { check in check.examples.map { ExampleCase(kind: .image(check, $0)) } }
            + CheckRegistry.regionChecks.flatMap { check in check.examples.map { ExampleCase(kind: .region(check, $0)) } }
    }

    func run() throws -> (violations: [Violation], expect: CheckExample.Expectation) {
        switch kind {
        case .image(let check, let example):
            let instance = try check.init(parameters: try CheckParameters(yaml: example.params))
            return (instance.evaluate(example.image, in: example.context), example.expect)
        case .region(let check, let example):
            let instance = try check.init(parameters: try CheckParameters(yaml: example.params))
            return (instance.evaluate(example.settings, account: RegionCheckExample.account,
                                      region: RegionCheckExample.region, in: .example), example.expect)
        }
    }
}

@Test("every check example passes or fails as it says", arguments: ExampleCase.all)
func checkExample(_ testCase: ExampleCase) throws {
    let (violations, expect) = try testCase.run()
    switch expect {
    case .pass: #expect(violations.isEmpty, "unexpected: \(violations.map(\.message))")
    case .fail: #expect(!violations.isEmpty)
    }
    for violation in violations {
        #expect(!violation.evidence.isEmpty, "a violation must say what decided it: \(violation.message)")
        #expect(!violation.message.contains("\n"), "messages are one line: \(violation.message)")
    }
}

@Test func everyCheckHasPassingAndFailingExamples() {
    for check in CheckRegistry.all {
        let expectations = Set(check.examples.map(\.expect))
        #expect(expectations == [.pass, .fail], "\(check.id)")
        #expect(CheckRegistry.type(for: check.id) == check)
    }
    for check in CheckRegistry.regionChecks {
        let expectations = Set(check.examples.map(\.expect))
        #expect(expectations == [.pass, .fail], "\(check.id)")
        #expect(check.examples.contains { $0.settings == nil && $0.expect == .fail },
                "\(check.id): settings that were not collected must fail closed")
        #expect(check.needs == [.regionSettings])
        #expect(CheckRegistry.regionType(for: check.id) == check)
        #expect(CheckRegistry.type(for: check.id) == nil)
    }
    #expect(CheckRegistry.all.map { $0.id }.sorted() ==
            ["age", "cross-account-sharing", "deprecation-scheduled", "encryption", "imds-v2", "public-sharing",
             "snapshot-sharing", "tags", "unused", "virtualization-type"])
    #expect(CheckRegistry.regionChecks.map { $0.id }.sorted() ==
            ["allowed-images-settings", "ebs-encryption-by-default", "image-block-public-access",
             "snapshot-block-public-access"])
    #expect(CheckRegistry.ids == CheckRegistry.ids.sorted() && Set(CheckRegistry.ids).count == 14)
    #expect(CheckRegistry.descriptors.filter { $0.resourceType == "region" }.count == 4)
    #expect(CheckRegistry.type(for: "nope") == nil && CheckRegistry.regionType(for: "nope") == nil)
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
