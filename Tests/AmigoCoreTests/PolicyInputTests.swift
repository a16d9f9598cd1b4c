import Foundation
import Testing
@testable import AmigoCore

private func errors(of yaml: String) -> [String] {
    do {
        _ = try PolicyLoader.load(yaml: yaml, file: "p.yml")
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// A policy file holding exactly `bytes`, in a fresh folder.
private func policyFile(bytes: [UInt8]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-policy-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent("p.yml")
    try Data(bytes).write(to: url)
    return url
}

private func errors(of url: URL) -> [String] {
    do {
        _ = try PolicyLoader.load(files: [url])
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

private let policy = "  - id: ami-x\n    check: public-sharing\n    severity: critical\n"

/// Duplicate keys: YAML says a mapping's keys are unique, and a reader that lets the last one
/// win silently drops policies or lowers a severity.
struct DuplicateKeyTests {
    @Test func secondPoliciesBlockIsAnError() {
        #expect(errors(of: "policies:\n" + policy + "policies:\n  - id: ami-y\n    check: public-sharing\n    severity: low\n")
                == ["p.yml:5:1: error: duplicate key 'policies'; it is first given at p.yml:1:1"])
    }

    @Test func repeatedSeverityIsAnError() {
        #expect(errors(of: "policies:\n" + policy + "    severity: info\n")
                == ["p.yml:5:5: error: duplicate key 'severity'; it is first given at p.yml:4:5"])
    }

    @Test func duplicatesAtAnyDepthAreAllReported() {
        let yaml = """
            policies:
              - id: ami-tags
                check: tags
                severity: low
                params:
                  required: [Owner]
                  values: { Env: [prod], Env: [dev] }
                scope: { regions: [a], regions: [b] }
            waivers:
              - policy: ami-tags
                reason: r
                reason: s
                expires: 2027-01-01
            """
        #expect(errors(of: yaml) == [
            "p.yml:7:30: error: duplicate key 'Env'; it is first given at p.yml:7:17",
            "p.yml:8:28: error: duplicate key 'regions'; it is first given at p.yml:8:14",
            "p.yml:12:5: error: duplicate key 'reason'; it is first given at p.yml:11:5",
        ])
    }

    /// An anchored mapping used many times is walked once, and its duplicate reported once.
    @Test func aliasedMappingsAreCheckedOnce() {
        let yaml = "x: &s { a: 1, a: 2 }\n" + "policies:\n" + policy + "    scope: *s\n"
        #expect(errors(of: yaml).filter { $0.contains("duplicate key") }
                == ["p.yml:1:15: error: duplicate key 'a'; it is first given at p.yml:1:9"])
    }

    @Test func sameTextInDifferentMappingsIsFine() throws {
        let set = try PolicyLoader.load(yaml: "policies:\n" + policy + "  - id: ami-y\n    check: public-sharing\n    severity: low\n",
                                        file: "p.yml")
        #expect(set.policies.map(\.severity) == [.critical, .low])
    }
}

struct PolicyFileBytesTests {
    @Test func nonUTF8IsRejectedAtTheFirstBadByte() throws {
        // "café" in Latin-1: 0xE9 is the 21st character of line 5.
        let bytes = Array("policies:\n\(policy)    description: caf".utf8) + [0xE9] + Array(" au lait\n".utf8)
        let url = try policyFile(bytes: bytes)
        #expect(errors(of: url)
                == ["\(url.relativePath):5:21: error: the policy file is not UTF-8: invalid byte 0xE9 (save it as UTF-8)"])
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let bytes = Array("policies:\n    # é€\u{1F600} ".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect(errors(of: try policyFile(bytes: bytes)).first?.hasSuffix(
            "p.yml:2:11: error: the policy file is not UTF-8: invalid byte 0xC3 (save it as UTF-8)") == true)
    }

    @Test func fileLargerThanTheDefaultCapIsRejectedUnread() throws {
        let head = Array("policies:\n\(policy)".utf8)
        let comment = Array(repeating: UInt8(ascii: "#"), count: (1 << 20) - head.count)
        let atCap = try policyFile(bytes: head + comment)
        #expect(errors(of: atCap) == [])
        let url = try policyFile(bytes: head + comment + [UInt8(ascii: "\n")])
        #expect(errors(of: url) == ["\(url.relativePath):1:1: error: the policy file is larger than 1048576 bytes (the limit; AMIGO_MAX_POLICY_BYTES raises it)"])
    }

    @Test func capIsConfigurable() throws {
        let url = try policyFile(bytes: Array("policies:\n\(policy)".utf8))
        do {
            _ = try PolicyLoader.load(files: [url], maxFileBytes: 64)
            Issue.record("a 100-byte file passed a 64-byte cap")
        } catch {
            #expect(error.errors.map(\.description)
                    == ["\(url.relativePath):1:1: error: the policy file is larger than 64 bytes (the limit; AMIGO_MAX_POLICY_BYTES raises it)"])
        }
        #expect(try PolicyLoader.load(files: [url], maxFileBytes: 1 << 30).policies.count == 1)
    }

    @Test func everyUnreadableFileIsReportedBesideOtherFilesErrors() throws {
        let bad = try policyFile(bytes: Array("policies:\n  - id: X\n".utf8))
        do {
            _ = try PolicyLoader.load(files: [URL(fileURLWithPath: "/nonexistent/p.yml"), bad])
            Issue.record("loaded")
        } catch {
            #expect(error.errors.first?.description == "/nonexistent/p.yml:1:1: error: cannot read the policy file: no such file")
            #expect(error.errors.contains { $0.description.hasPrefix("\(bad.relativePath):2:9: error: id 'X' must be kebab-case") })
        }
    }
}
