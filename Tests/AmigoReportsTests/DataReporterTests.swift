import AmigoCore
@testable import AmigoReports
import Foundation
import Testing

private func render(_ reporter: any Reporter.Type) -> Data {
    reporter.render(ReportFixture.report, context: ReportFixture.context)
}

private func jsonObject(_ data: Data) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

struct JSONReporterTests {
    @Test func decodesWithSchemaVersionAndConsistentSummary() throws {
        let json = try jsonObject(render(JSONReporter.self))
        #expect(json["schemaVersion"] as? String == "1.3")
        #expect((json["tool"] as? [String: Any])?["version"] as? String == "1.0.0-test")
        #expect(json["generatedAt"] as? String == "2025-06-01T12:00:00Z")
        let scan = try #require(json["scan"] as? [String: Any])
        #expect(scan["asOf"] as? String == "2025-06-01T00:00:00Z")
        #expect(scan["id"] as? Int == 42)
        let summary = try #require(json["summary"] as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(summary["findings"] as? Int == findings.count)
        #expect(findings.count == ReportFixture.report.findings.count)
        let bySeverity = try #require(summary["bySeverity"] as? [String: Int])
        #expect(bySeverity.values.reduce(0, +) == findings.count)
        #expect(bySeverity["critical"] == 1 && bySeverity["high"] == 4 && bySeverity["low"] == 3)
        #expect(summary["scanErrors"] as? Int == 1)
        #expect(summary["waived"] as? Int == 2)
        #expect(summary["imagesEvaluated"] as? Int == 6)
        #expect(summary["regionsEvaluated"] as? Int == 5)
        let byPolicy = try #require(summary["byPolicy"] as? [String: [String: Any]])
        #expect(byPolicy["ami-required-tags"]?["failed"] as? Int == 3)
        #expect(byPolicy["region-ebs-encryption-by-default"]?["evaluated"] as? Int == 5)
        #expect(byPolicy["region-ebs-encryption-by-default"]?["failed"] as? Int == 2)
        let policies = try #require(json["policies"] as? [[String: Any]])
        #expect(policies.filter { $0["resourceType"] as? String == "region" }.map { $0["id"] as? String }
                == ["region-ebs-encryption-by-default"])
        let regionFinding = try #require(findings.first { $0["resourceType"] as? String == "region" })
        #expect(regionFinding["resourceId"] as? String == "222222222222/us-east-1")
        let waived = try #require((json["waived"] as? [[String: Any]])?.first)
        #expect((waived["waiver"] as? [String: Any])?["expires"] as? String == "2027-03-31T00:00:00Z")
        #expect(findings.first?["severity"] as? String == "critical")
    }

    @Test func hostileStringsRoundTrip() throws {
        let findings = try #require(try jsonObject(render(JSONReporter.self))["findings"] as? [[String: Any]])
        let messages = findings.compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.contains("\"prod\u{1}\"") && $0.contains("\nsecond line | pipe") })
        #expect(findings.contains { $0["resourceName"] as? String == ReportFixture.scriptTag })
        #expect(findings.contains { $0["resourceName"] is NSNull }, "absent fields are explicit nulls")
    }

    @Test func writerEscapesWhatJSONRequires() {
        let text = String(decoding: JSONValue.object(["k": .string("a\"b\\c\u{1}\n\u{2028}é")]).rendered(), as: UTF8.self)
        #expect(text == "{\n  \"k\": \"a\\\"b\\\\c\\u0001\\n\\u2028é\"\n}\n")
    }

    @Test(arguments: [
        ("plain ascii", "plain ascii"), ("é 🚀 \u{2027} \u{202A}", "é 🚀 \u{2027} \u{202A}"), ("", ""),
        ("\"lead", "\\\"lead"), ("trail\\", "trail\\\\"), ("é\u{2029}", "é\\u2029"), ("\u{7F}", "\u{7F}"),
    ])
    func valuesWithAndWithoutEscapesAreQuotedAlike(value: String, quoted: String) throws {
        let text = String(decoding: JSONValue.string(value).rendered(), as: UTF8.self)
        #expect(text == "\"\(quoted)\"\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? String
        #expect(parsed == value)
    }

    /// A long lazy array is rendered in pieces on every core: the bytes are those of the same
    /// elements written one after another, for sizes around a piece and several waves of them.
    @Test(arguments: [1, 511, 512, 513, 1_024, 5_000, 12_345])
    func longArraysRenderedInPiecesAreWrittenInOrder(count: Int) {
        let element: @Sendable (Int) -> JSONValue = { n in
            .object(["n": .int(n), "nested": .array([.string("é\u{1}\(n)"), .lazy(Array(0 ..< n % 3)) { .int($0) }])])
        }
        let document = { (findings: JSONValue) in JSONValue.object(["findings": findings, "after": .bool(true)]) }
        let inPieces = document(.lazy(Array(0 ..< count), element)).rendered()
        let oneByOne = document(.array((0 ..< count).map(element))).rendered()
        #expect(inPieces.count > count * 20)
        #expect(inPieces == oneByOne)
    }
}

struct SARIFReporterTests {
    @Test func isSARIF210WithOneRulePerPolicy() throws {
        let sarif = try jsonObject(render(SARIFReporter.self))
        #expect(sarif["version"] as? String == "2.1.0")
        #expect((sarif["$schema"] as? String)?.contains("sarif-schema-2.1.0") == true)
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "amigo")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.count == ReportFixture.report.results.count)
        let critical = try #require(rules.first { $0["id"] as? String == "ami-not-public" })
        #expect((critical["defaultConfiguration"] as? [String: Any])?["level"] as? String == "error")
        #expect((critical["properties"] as? [String: Any])?["security-severity"] as? String == "9.5")

        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == ReportFixture.report.findings.count + 2, "findings plus the suppressed waived ones")
        #expect(results.filter { $0["suppressions"] != nil }.count == 2)
        let regionNames = results.compactMap { result -> String? in
            guard (result["properties"] as? [String: Any])?["resourceType"] as? String == "region" else { return nil }
            let location = ((result["locations"] as? [[String: Any]])?.first?["logicalLocations"] as? [[String: Any]])?.first
            return location?["fullyQualifiedName"] as? String
        }
        #expect(regionNames.sorted() == ["aws/222222222222/ap-southeast-2", "aws/222222222222/us-east-1",
                                         "aws/333333333333/us-west-2"])
        for result in results {
            let ruleIndex = try #require(result["ruleIndex"] as? Int)
            #expect(rules[ruleIndex]["id"] as? String == result["ruleId"] as? String)
            let fingerprints = try #require(result["partialFingerprints"] as? [String: String])
            #expect(fingerprints.values.allSatisfy { $0.count == 64 })
        }
        let location = try #require(((results.first?["locations"] as? [[String: Any]])?.first?["logicalLocations"]
            as? [[String: Any]])?.first)
        #expect(location["fullyQualifiedName"] as? String == "aws/111111111111/us-east-1/ami-0bbb0000000000002")
    }

    @Test func policyFileIsThePhysicalLocationCodeScanningNeeds() throws {
        var report = ReportFixture.report
        let index = try #require(report.results.firstIndex { $0.policy.id == "ami-not-public" })
        report.results[index].policy.sourceFile = "policies/baseline.yml"
        report.results[index].policy.sourceLine = 12
        let sarif = try jsonObject(SARIFReporter.render(report, context: ReportFixture.context))
        let results = try #require(((sarif["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        for result in results {
            let physical = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any]
            if result["ruleId"] as? String == "ami-not-public" {
                #expect((physical?["artifactLocation"] as? [String: Any])?["uri"] as? String == "policies/baseline.yml")
                #expect((physical?["artifactLocation"] as? [String: Any])?["uriBaseId"] as? String == "%SRCROOT%")
                #expect((physical?["region"] as? [String: Any])?["startLine"] as? Int == 12)
            } else {
                #expect(physical == nil)
            }
        }
        let bases = (sarif["runs"] as? [[String: Any]])?.first?["originalUriBaseIds"] as? [String: [String: Any]]
        // Declared, but without the absolute folder: that differs between machines and runs.
        #expect(bases?["%SRCROOT%"]?["description"] != nil)
        #expect(bases?["%SRCROOT%"]?["uri"] == nil)
    }

    @Test(arguments: [(Severity.critical, "error"), (.high, "error"), (.medium, "warning"), (.low, "note"), (.info, "note")])
    func levels(severity: Severity, level: String) {
        #expect(SARIFReporter.level(severity) == level)
    }

    @Test func fingerprintIgnoresMessageButNotResource() {
        let a = ReportFixture.finding(ReportFixture.maxAge, 2, "Image is 400 days old")
        var b = a
        b.message = "Image is 401 days old"
        b.evidence = ["ageDays": "401"]
        #expect(a.fingerprint == b.fingerprint)
        b.resourceId = "ami-other"
        #expect(a.fingerprint != b.fingerprint)
    }
}

struct CSVReporterTests {
    @Test func formulaCellsAreNeutralised() {
        let csv = String(decoding: render(CSVReporter.self), as: UTF8.self)
        #expect(csv.contains("'=cmd|' /C calc'!A0"))
        #expect(!csv.contains(",=cmd"))
        #expect(!csv.contains("\u{1}"))
        #expect(csv.hasPrefix(CSVReporter.header.joined(separator: ",") + "\r\n"))
        // 11 open findings, 2 waived, 1 header; the line break inside one quoted message is a bare LF.
        #expect(csv.components(separatedBy: "\r\n").count - 1 == 14)
    }

    @Test(arguments: [
        ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
        ("\r\nx", "\"'\r\nx\""), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("plain", "plain"),
        ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
    ])
    func field(input: String, expected: String) {
        #expect(Escape.csvField(input) == expected)
    }
}

struct MarkdownReporterTests {
    @Test func tableCellsCannotBreakTheTable() {
        let md = String(decoding: render(MarkdownReporter.self), as: UTF8.self)
        let findingRow = md.split(separator: "\n").first { $0.contains("second line") }
        #expect(findingRow?.contains("<br>second line \\| pipe") == true)
        #expect(!md.contains("<script>"))
        #expect(md.contains("&lt;script&gt;"))
        #expect(md.contains("> [!WARNING]"))
        #expect(!md.contains("\u{1}"))
    }

    @Test func cellEscaping() {
        #expect(Escape.markdownCell("a|b\nc") == "a\\|b<br>c")
        #expect(Escape.markdownCell("[x](y) `z` *w*") == "\\[x\\](y) \\`z\\` \\*w\\*")
    }
}

struct SummaryTests {
    @Test func alignedAndHonestAboutIncompleteScans() {
        let text = Summary.render(ReportFixture.report)
        #expect(text.contains("SCAN INCOMPLETE"))
        #expect(!text.contains("\u{1}"))
        let policyLines = text.split(separator: "\n").filter { $0.hasPrefix("ami-") || $0.hasPrefix("region-") }
        #expect(policyLines.count == 6)
        #expect(text.contains("images evaluated: 6  account×regions evaluated: 5  findings: 11"))
        #expect(Set(policyLines.map(\.count)).count == 1, "columns are aligned")
        #expect(!Summary.render(ReportFixture.cleanReport).contains("INCOMPLETE"))
    }
}
