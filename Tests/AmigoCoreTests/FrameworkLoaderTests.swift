import Foundation
import Testing
@testable import AmigoCore

private let policiesFolder = baselineURL().deletingLastPathComponent()

/// The bundled packs, loaded as one set as `--framework` takes policies from them.
private func bundledPacks() throws -> PolicySet {
    let files = try FileManager.default.contentsOfDirectory(atPath: policiesFolder.path)
        .filter { $0.hasSuffix(".yml") }.sorted().map { policiesFolder.appendingPathComponent($0) }
    return try PolicyLoader.load(files: files)
}

private func bundledFrameworks() throws -> FrameworkSet {
    try FrameworkLoader.load(directory: policiesFolder.appendingPathComponent("frameworks"),
                             knownPolicies: Set(try bundledPacks().policies.map(\.id)))
}

private func frameworkErrors(_ yaml: String, known: Set<String> = ["ami-not-public", "ami-ebs-encrypted"]) -> [String] {
    do {
        _ = try FrameworkLoader.load(yaml: yaml, file: "f.yml", knownPolicies: known)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

private let header = "id: t-1.0\nname: T\nversion: \"1\"\ndocument: T v1\nurl: https://example.com\n"

struct FrameworkLoaderTests {
    @Test func theBundledFrameworksLoadAgainstTheBundledPacks() throws {
        let set = try bundledFrameworks()
        #expect(set.ids == ["aws-fsbp", "cis-aws-3.0", "cis-compute-1.0", "hipaa", "nist-800-53-r5", "pci-dss-4.0", "soc2"])
        for framework in set.frameworks {
            #expect(framework.url.hasPrefix("https://") && !framework.document.isEmpty, "\(framework.id)")
            #expect(framework.controls.allSatisfy { !$0.section.isEmpty && ($0.url ?? framework.url).hasPrefix("https://") })
        }
    }

    @Test func cisComputeHasTheFiveAMIControlsWithNamingAndApprovedImagesManual() throws {
        let cis = try #require(try bundledFrameworks().framework("cis-compute-1.0"))
        #expect(cis.controls.map(\.id) == ["2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5"])
        #expect(cis.controls.filter { $0.manual != nil }.map(\.id) == ["2.1.1", "2.1.3"])
        #expect(cis.requiredPolicies == ["ami-ebs-encrypted", "cis-ami-max-age-90-days", "ami-not-public"])
        let age = try #require(try bundledPacks().policies.first { $0.id == "cis-ami-max-age-90-days" }?.check as? AgeCheck)
        #expect(age.maxDays == 90)
    }

    /// CIS AWS Foundations 2.2.1 is EBS encryption by default, a region setting: the AMI
    /// encryption policy does not evidence it (the baseline once said it did).
    @Test func cisFoundations221IsEvidencedByTheRegionSettingOnly() throws {
        var set = try PolicyLoader.load(files: [baselineURL(), policiesFolder.appendingPathComponent("guardrails.yml")])
        set.attach(try bundledFrameworks())
        let byId = Dictionary(uniqueKeysWithValues: set.policies.map { ($0.id, $0.frameworks) })
        let cis221 = byId.filter { _, frameworks in
            frameworks.contains { $0.key.lowercased().hasPrefix("cis-aws") && $0.value.contains("2.2.1") }
        }
        #expect(cis221.keys.sorted() == ["region-ebs-encryption-by-default"])
        #expect(byId["ami-ebs-encrypted"]?["cis-compute-1.0"] == ["2.1.2"])
    }

    @Test func aPolicyFileCannotMapFrameworksAnyMore() throws {
        do {
            _ = try PolicyLoader.load(yaml: "policies:\n  - id: p\n    check: public-sharing\n    severity: low\n    frameworks: { x: [y] }\n",
                                      file: "p.yml")
            Issue.record("loaded")
        } catch {
            #expect(error.errors.map(\.description) == [
                "p.yml:5:5: error: policy 'p': 'frameworks' is not set in policy files: framework files map controls to policies (policies/frameworks/*.yml; `amigo frameworks show ID`)",
            ])
        }
        // A scan stored by an amigo that still read the key renders.
        let stored = try PolicyLoader.load([PolicySource(file: "p.yml", text:
            "policies:\n  - id: p\n    check: public-sharing\n    severity: low\n    frameworks: { x: [y] }\n")], stored: true)
        #expect(stored.policies.map(\.id) == ["p"] && stored.policies[0].frameworks.isEmpty)
    }

    @Test func unknownKeysWrongTypesAndUnknownPoliciesAreLocated() {
        #expect(frameworkErrors(header + "colour: red\ncontrols:\n  - id: \"1\"\n    title: A\n    section: \"1\"\n    policies: [ami-not-public]\n    owner: me\n") == [
            "f.yml:6:1: error: unknown key 'colour' in the framework file; expected one of: id, name, version, document, url, controls",
            "f.yml:12:5: error: unknown key 'owner' in a control; expected one of: id, title, section, url, policies, manual, note",
        ])
        #expect(frameworkErrors(header + "controls:\n  - id: \"1\"\n    title: [A]\n    section: \"1\"\n    policies: ami-not-public\n") == [
            "f.yml:8:12: error: 'title' must be non-empty text",
            "f.yml:10:15: error: 'policies' must be a list of policy ids",
        ])
        #expect(frameworkErrors(header + "controls:\n  - id: \"1\"\n    title: A\n    section: \"1\"\n    policies: [ami-not-public, ami-gone]\n") == [
            "f.yml:10:32: error: unknown policy 'ami-gone'; the bundled packs define: ami-ebs-encrypted, ami-not-public",
        ])
    }

    @Test func duplicateControlsMissingEvidenceAndBadIdsAreErrors() {
        #expect(frameworkErrors(header + "controls:\n  - { id: \"1\", title: A, section: s, policies: [ami-not-public] }\n  - { id: \"1\", title: B, section: s, manual: why }\n") == [
            "f.yml:8:11: error: duplicate control id '1'; it is first given at f.yml:7:11",
        ])
        #expect(frameworkErrors(header + "controls:\n  - { id: \"1\", title: A, section: s }\n") == [
            "f.yml:7:5: error: control '1' needs 'policies' (the policies that evidence it) or 'manual' (why amigo cannot judge it)",
        ])
        #expect(frameworkErrors(header.replacingOccurrences(of: "t-1.0", with: "T_1") + "controls: []\n") == [
            "f.yml:1:5: error: framework id 'T_1' must be lowercase letters, digits, dots and single hyphens, e.g. cis-compute-1.0",
            "f.yml:6:11: error: 'controls' is empty; a framework needs at least one control",
        ])
    }

    @Test func aFrameworkIdDefinedTwiceAcrossFilesIsAnError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = header + "controls:\n  - { id: \"1\", title: A, section: s, manual: why }\n"
        try text.write(to: dir.appendingPathComponent("a.yml"), atomically: true, encoding: .utf8)
        try text.write(to: dir.appendingPathComponent("b.yml"), atomically: true, encoding: .utf8)
        do {
            _ = try FrameworkLoader.load(directory: dir, knownPolicies: [])
            Issue.record("loaded")
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.errors.first?.description.hasSuffix(
                "b.yml:1:5: error: duplicate framework id 't-1.0'; it is first defined at \(PolicyLoader.displayName(dir.appendingPathComponent("a.yml"))):1:5") == true,
                "\(error)")
        }
    }
}
