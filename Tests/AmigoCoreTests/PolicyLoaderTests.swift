import Foundation
import Testing
@testable import AmigoCore

/// Loads `yaml` expecting failure and returns every error's description.
private func loadErrors(_ yaml: String, file: String = "p.yml") -> [String] {
    do {
        _ = try PolicyLoader.load(yaml: yaml, file: file)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

private let known = "age, allowed-images-settings, approved-image, cross-account-sharing, deprecation-scheduled, ebs-encryption-by-default, "
    + "encryption, image-allowed, image-block-public-access, image-current, imds-v2, public-sharing, snapshot-block-public-access, snapshot-sharing, "
    + "tags, unused, virtualization-type"

struct PolicyLoaderTests {
    @Test func validPolicyWithEverything() throws {
        let set = try PolicyLoader.load(yaml: """
            policies:
              - id: ami-hvm-only
                check: virtualization-type
                severity: medium
                description: HVM only.
                params: { allowed: [hvm] }
                scope: { accounts: ["1111*"], regions: [eu-west-1], name: "web-*" }
            waivers:
              - policy: ami-hvm-only
                images: [ami-1]
                reason: legacy
                expires: 2027-03-31
            """, file: "p.yml")
        let policy = try #require(set.policies.first)
        #expect(policy.id == "ami-hvm-only" && policy.checkId == "virtualization-type" && policy.severity == .medium)
        #expect(policy.description == "HVM only.")
        #expect(policy.scope == Scope(accounts: ["1111*"], regions: ["eu-west-1"], names: ["web-*"]))
        #expect(policy.frameworks.isEmpty)
        #expect(set.waivers == [Waiver(policyId: "ami-hvm-only", images: ["ami-1"], reason: "legacy",
                                       expires: Date(timeIntervalSince1970: 1_806_451_200))])
        #expect(set.needs == [.images])
    }

    @Test func yamlSyntaxErrorUsesYamsMark() {
        let errors = loadErrors("policies:\n  - id: a\n    check: [x\n")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("p.yml:4:1: error: invalid YAML: ") == true, "\(errors)")
    }

    @Test func unknownTopLevelKey() {
        #expect(loadErrors("policies: []\nrules: []\n")
                == ["p.yml:2:1: error: unknown top-level key 'rules'; expected one of: policies, waivers"])
    }

    @Test func emptyFileIsAnError() {
        #expect(loadErrors("# nothing\n") == ["p.yml:1:1: error: the policy file is empty; expected a 'policies:' list"])
    }

    @Test func missingRequiredKeysAreAllReported() {
        #expect(loadErrors("policies:\n  - description: x\n") == [
            "p.yml:2:5: error: policy is missing 'id'",
            "p.yml:2:5: error: policy is missing 'check'",
            "p.yml:2:5: error: policy is missing 'severity'",
        ])
        #expect(loadErrors("policies:\n  - id: ami-x\n    check: public-sharing\n")
                == ["p.yml:2:5: error: policy 'ami-x': policy is missing 'severity'"])
    }

    @Test func idMustBeKebabCase() {
        #expect(loadErrors("policies:\n  - id: AMI_Public\n    check: public-sharing\n    severity: high\n")
                == ["p.yml:2:9: error: id 'AMI_Public' must be kebab-case: lowercase letters and digits separated by single hyphens, e.g. ami-not-public"])
        #expect(PolicyDocument.isKebabCase("ami-2-ok") && !PolicyDocument.isKebabCase("ami--x")
                && !PolicyDocument.isKebabCase("-ami") && !PolicyDocument.isKebabCase("ami-"))
    }

    @Test func unknownCheckListsKnownChecks() {
        #expect(loadErrors("policies:\n  - id: ami-x\n    check: encrypt\n    severity: high\n")
                == ["p.yml:3:12: error: policy 'ami-x': unknown check 'encrypt'; known checks: \(known)"])
    }

    @Test func badSeverityListsAllowedOnes() {
        #expect(loadErrors("policies:\n  - id: ami-x\n    check: public-sharing\n    severity: urgent\n")
                == ["p.yml:4:15: error: policy 'ami-x': unknown severity 'urgent'; allowed: critical, high, medium, low, info"])
    }

    @Test func unknownAndMistypedParameters() {
        let head = "policies:\n  - id: ami-old\n    check: age\n    severity: medium\n"
        #expect(loadErrors(head + "    params: { max-days: 30, max-dayz: 3 }\n")
                == ["p.yml:5:29: error: policy 'ami-old': unknown parameter 'max-dayz'; known parameters: deprecated, max-days"])
        #expect(loadErrors(head + "    params: { max-days: ten }\n")
                == ["p.yml:5:25: error: policy 'ami-old': 'max-days' must be an integer"])
        #expect(loadErrors(head) == ["p.yml:2:5: error: policy 'ami-old': missing required parameter 'max-days' (an age limit in days)"])
        #expect(loadErrors(head + "    params: { max-days: 0 }\n")
                == ["p.yml:5:25: error: policy 'ami-old': 'max-days' must be greater than 0, got 0"])
        #expect(loadErrors(head + "    params: { max-days: 9, deprecated: maybe }\n")
                == ["p.yml:5:40: error: policy 'ami-old': 'deprecated' must be one of fail, warn, ignore"])
        #expect(loadErrors(head + "    params: [max-days]\n") == ["p.yml:5:13: error: policy 'ami-old': 'params' must be a mapping"])
    }

    @Test func badRegexPointsAtThePattern() {
        let errors = loadErrors("""
            policies:
              - id: ami-tags
                check: tags
                severity: low
                params:
                  patterns: { Owner: '^(team' }
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("p.yml:6:26: error: policy 'ami-tags': 'patterns.Owner' is not a valid RE2 regular expression: ") == true,
                "\(errors)")
    }

    @Test func badAllowEntryPointsAtTheEntry() {
        #expect(loadErrors("policies:\n  - id: ami-share\n    check: cross-account-sharing\n    severity: high\n    params: { allow: [organization, '12345'] }\n")
                == ["p.yml:5:37: error: policy 'ami-share': 'allow' entry '12345' is not 'organization', a 12-digit account id, an OU ARN (arn:aws:organizations::ACCOUNT:ou/o-ID/ou-ID, globs allowed) or an organization ARN"])
    }

    @Test func waiverErrors() {
        let policy = "policies:\n  - id: ami-x\n    check: public-sharing\n    severity: high\n"
        #expect(loadErrors(policy + "waivers:\n  - policy: ami-y\n    reason: r\n    expires: 2027-02-30\n") == [
            "p.yml:6:13: error: waiver names unknown policy 'ami-y'; known policies: ami-x",
            "p.yml:8:14: error: policy 'ami-y': waiver 'expires' must be a date written YYYY-MM-DD, got '2027-02-30'",
        ])
        #expect(loadErrors(policy + "waivers:\n  - policy: ami-x\n    expires: 27-1-1\n") == [
            "p.yml:6:5: error: policy 'ami-x': waiver is missing 'reason'",
            "p.yml:7:14: error: policy 'ami-x': waiver 'expires' must be a date written YYYY-MM-DD, got '27-1-1'",
        ])
    }

    @Test func duplicateIdInOneFileNamesTheFirst() {
        let p = "  - id: ami-x\n    check: public-sharing\n    severity: high\n"
        #expect(loadErrors("policies:\n" + p + p)
                == ["p.yml:5:9: error: policy 'ami-x': duplicate policy id; it is first defined at p.yml:2:9"])
    }

    @Test func committedInvalidFileReportsEveryProblem() {
        let url = policyFile("invalid-policies.yml")
        let f = PolicyLoader.displayName(url)
        #expect(loadAll([url]).count == 6)
        let errors = loadAll([url])
        #expect(errors.count == 6)
        guard errors.count == 6 else { return }
        #expect(errors[0] == "\(f):3:12: error: policy 'ami-old': unknown check 'agee'; known checks: \(known)")
        #expect(errors[1] == "\(f):4:15: error: policy 'ami-old': unknown severity 'urgent'; allowed: critical, high, medium, low, info")
        #expect(errors[2].hasPrefix("\(f):8:53: error: policy 'ami-tags': 'patterns.Owner' is not a valid RE2 regular expression"))
        #expect(errors[3] == "\(f):9:9: error: policy 'ami-old': duplicate policy id; it is first defined at \(f):2:9")
        #expect(errors[4] == "\(f):14:13: error: waiver names unknown policy 'ami-gone'; known policies: ami-old, ami-tags")
        #expect(errors[5] == "\(f):16:14: error: policy 'ami-gone': waiver 'expires' must be a date written YYYY-MM-DD, got '2027-02-30'")
    }

    @Test func committedSyntaxErrorFile() {
        let url = policyFile("invalid-syntax.yml")
        let errors = loadAll([url])
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("\(PolicyLoader.displayName(url)):4:4: error: invalid YAML: ") == true, "\(errors)")
    }

    @Test func idsAreUniqueAcrossFilesAndWaiversMayNameOtherFiles() throws {
        let baseline = baselineURL()
        let other = policyFile("duplicates-baseline.yml")
        #expect(loadAll([baseline, other])
                == ["\(PolicyLoader.displayName(other)):2:9: error: policy 'ami-not-public': duplicate policy id; it is first defined at \(PolicyLoader.displayName(baseline)):9:9"])
        #expect(loadAll([other]).first?.contains("waiver names unknown policy 'ami-max-age'") == true)
    }

    @Test func missingFile() {
        #expect(loadAll([URL(fileURLWithPath: "/nonexistent/p.yml")])
                == ["/nonexistent/p.yml:1:1: error: cannot read the policy file: no such file"])
    }

    @Test func baselineLoadsCleanly() throws {
        let set = try PolicyLoader.load(files: [baselineURL()])
        #expect(set.policies.map(\.id) == ["ami-ebs-encrypted", "ami-not-public", "ami-shared-only-inside-org",
                                           "ami-max-age", "ami-required-tags", "ami-hvm-only"])
        #expect(set.policies.map(\.checkId) == ["encryption", "public-sharing", "cross-account-sharing", "age",
                                                "tags", "virtualization-type"])
        #expect(set.policies.map(\.severity) == [.high, .critical, .high, .medium, .low, .medium])
        #expect(set.policies.allSatisfy { $0.description != nil })
        #expect(set.needs == [.images, .launchPermissions, .organization])
        let age = try #require(set.policies[3].check as? AgeCheck)
        #expect(age.maxDays == 365 && age.deprecated == .fail)
    }
}

func policyFile(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("PolicyFiles/\(name)")
}

func baselineURL() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("policies/baseline.yml")
}

private func loadAll(_ urls: [URL]) -> [String] {
    do {
        _ = try PolicyLoader.load(files: urls)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

struct RegionPolicyLoaderTests {
    @Test func regionCheckMakesARegionPolicy() throws {
        let set = try PolicyLoader.load(yaml: """
            policies:
              - id: region-ebs-default
                check: ebs-encryption-by-default
                severity: high
                scope: { accounts: ["1111*"], regions: [eu-west-1] }
              - id: region-snapshot-bpa
                check: snapshot-block-public-access
                severity: high
                params: { allowed: [block-all-sharing] }
            """, file: "r.yml")
        #expect(set.policies.map(\.resourceType) == ["region", "region"])
        #expect(set.policies.allSatisfy { $0.check is any Check<AccountRegion> && !($0.check is any Check<Image>) })
        #expect(set.policies[0].info.resourceType == "region")
        #expect(set.policies[0].scope == Scope(accounts: ["1111*"], regions: ["eu-west-1"]))
        let bpa = try #require(set.policies[1].check as? SnapshotBlockPublicAccessCheck)
        #expect(bpa.allowed == ["block-all-sharing"])
        #expect(set.needs == [.images, .regionSettings])
    }

    @Test func nameScopeIsRejectedForRegionChecks() {
        #expect(loadErrors("""
            policies:
              - id: region-imds
                check: image-block-public-access
                severity: high
                scope: { regions: ["us-*"], name: "web-*" }
            """) == ["p.yml:5:33: error: policy 'region-imds': 'scope.name' does not apply to region check 'image-block-public-access': it judges an account×region, not images; scope it with 'accounts' and 'regions' only"])
    }

    @Test func regionCheckParameterErrorsAreLocated() {
        #expect(loadErrors("policies:\n  - id: r\n    check: allowed-images-settings\n    severity: low\n    params: { allowed: [enabled, off] }\n")
                == ["p.yml:5:34: error: policy 'r': 'allowed' entry 'off' is not one of enabled, audit-mode, disabled"])
        #expect(loadErrors("policies:\n  - id: r\n    check: ebs-encryption-by-default\n    severity: low\n    params: { kms: x }\n")
                == ["p.yml:5:15: error: policy 'r': unknown parameter 'kms'; this check takes no parameters"])
    }

    @Test func guardrailsPackLoadsBesideTheBaseline() throws {
        let guardrails = baselineURL().deletingLastPathComponent().appendingPathComponent("guardrails.yml")
        let set = try PolicyLoader.load(files: [baselineURL(), guardrails])
        let pack = set.policies.dropFirst(6)
        #expect(pack.map(\.checkId) == ["image-block-public-access", "snapshot-block-public-access",
                                        "ebs-encryption-by-default", "allowed-images-settings",
                                        "snapshot-sharing", "imds-v2"])
        #expect(pack.allSatisfy { PolicyDocument.isKebabCase($0.id) && $0.description != nil })
        #expect(pack.filter { $0.resourceType == "region" }.count == 4)
        #expect(set.needs.isSuperset(of: [.regionSettings, .snapshots, .snapshotPermissions]))
        #expect(!set.needs.contains(.workloads), "guardrails alone collect no workloads")
    }

    @Test func workloadsPackLoadsBesideTheBaseline() throws {
        let workloads = baselineURL().deletingLastPathComponent().appendingPathComponent("workloads.yml")
        let set = try PolicyLoader.load(files: [baselineURL(), workloads])
        let pack = set.policies.dropFirst(6)
        #expect(pack.map(\.checkId) == ["approved-image", "image-current", "image-allowed", "unused"])
        #expect(pack.allSatisfy { PolicyDocument.isKebabCase($0.id) && $0.description != nil })
        #expect(pack.filter { $0.resourceType == Finding.workloadResourceType }.count == 3)
        #expect(set.collectsWorkloads)
    }
}
