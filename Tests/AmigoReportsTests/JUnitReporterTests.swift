import AmigoCore
@testable import AmigoReports
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Parses junit.xml with a real XML parser and tallies what it finds, so counts are checked
/// against the document rather than against the reporter's own arithmetic.
final class JUnitTally: NSObject, XMLParserDelegate {
    struct Suite { var attributes: [String: String]; var cases = 0; var failedCases = 0; var erroredCases = 0; var skippedCases = 0 }
    var root: [String: String] = [:]
    var suites: [Suite] = []
    var caseNames: [String] = []
    var failureTypes: [String] = []
    private var inCase: (failed: Bool, errored: Bool, skipped: Bool)?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]) {
        switch name {
        case "testsuites": root = attributes
        case "testsuite": suites.append(Suite(attributes: attributes))
        case "testcase": inCase = (false, false, false); caseNames.append(attributes["name"] ?? "")
        case "failure": inCase?.failed = true; failureTypes.append(attributes["type"] ?? "")
        case "error": inCase?.errored = true
        case "skipped": inCase?.skipped = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard name == "testcase", let state = inCase else { return }
        suites[suites.count - 1].cases += 1
        if state.failed { suites[suites.count - 1].failedCases += 1 }
        if state.errored { suites[suites.count - 1].erroredCases += 1 }
        if state.skipped { suites[suites.count - 1].skippedCases += 1 }
        inCase = nil
    }

    static func parse(_ data: Data) throws -> JUnitTally {
        let tally = JUnitTally()
        let parser = XMLParser(data: data)
        parser.delegate = tally
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
        return tally
    }
}

struct JUnitReporterTests {
    let data = JUnitReporter.render(ReportFixture.report, context: ReportFixture.context)

    @Test func parsesAndCountsAddUp() throws {
        let tally = try JUnitTally.parse(data)
        let report = ReportFixture.report
        #expect(tally.suites.map { $0.attributes["name"] } == [
            "ami-not-public", "ami-ebs-encrypted", "region-ebs-encryption-by-default", "ami-max-age", "ami-required-tags",
            "ami-hvm-only", "test-fw-1.0 1.1", "test-fw-1.0 1.2", "test-fw-1.0 1.3", "test-fw-1.0 1.4", "test-fw-1.0 1.5",
            "scan-errors",
        ])
        for suite in tally.suites {
            #expect(suite.attributes["tests"] == String(suite.cases))
            #expect(suite.attributes["failures"] == String(suite.failedCases))
            #expect(suite.attributes["errors"] == String(suite.erroredCases))
            #expect(suite.attributes["skipped"] == String(suite.skippedCases))
        }
        #expect(tally.root["tests"] == String(tally.suites.map(\.cases).reduce(0, +)))
        #expect(tally.root["failures"] == String(tally.suites.map(\.failedCases).reduce(0, +)))
        #expect(tally.root["errors"] == String(tally.suites.map(\.erroredCases).reduce(0, +)))
        #expect(tally.root["skipped"] == nil, "the Jenkins schema has no skipped attribute on testsuites")
        let findingFailures = tally.failureTypes.filter { $0 != "control-fail" }
        #expect(findingFailures.count == report.findings.count)
        #expect(findingFailures.sorted() == report.findings.map(\.severity.rawValue).sorted())
        // One case per evaluated image (or account×region) and policy; every finding is on one of them.
        let evaluated = report.results.map { Set($0.evaluated).count + Set($0.evaluatedRegions).count }.reduce(0, +)
        #expect(tally.suites.prefix(report.results.count).map(\.cases).reduce(0, +) == evaluated)
        let scanErrors = try #require(tally.suites.last)
        #expect(scanErrors.erroredCases == 2, "one scan error and one failed region")
        #expect(scanErrors.skippedCases == 1, "one skipped region")
    }

    /// A suite per framework control: a failing policy fails it, a policy the report lacks is an
    /// error (not evaluated is never green), a manual control is one skipped case.
    @Test func frameworkControlsAreSuitesOfTheirPolicies() throws {
        let tally = try JUnitTally.parse(data)
        func suite(_ control: String) throws -> JUnitTally.Suite {
            try #require(tally.suites.first { $0.attributes["name"] == "test-fw-1.0 \(control)" })
        }
        #expect(try suite("1.1").failedCases == 1 && suite("1.1").cases == 1)
        #expect(try suite("1.3").skippedCases == 1 && suite("1.3").cases == 1)
        #expect(try suite("1.4").erroredCases == 1)
        let xml = String(decoding: data, as: UTF8.self)
        #expect(xml.contains("<error message=\"policy ami-unused is not part of this evaluation\" type=\"not-evaluated\"/>"))
        #expect(xml.contains("<property name=\"title\" value=\"Images are &lt;em&gt;not&lt;/em&gt; public\"/>"))
        let clean = try JUnitTally.parse(JUnitReporter.render(ReportFixture.cleanReport, context: ReportFixture.context))
        #expect(clean.suites.first { $0.attributes["name"] == "test-fw-1.0 1.1" }.map { $0.cases - $0.failedCases } == 1)
    }

    @Test func caseNamesCarryAccountRegionImageAndName() throws {
        let tally = try JUnitTally.parse(data)
        #expect(tally.caseNames.contains("111111111111/us-east-1/ami-0bbb0000000000002 (<script>alert(1)</script>)"))
        #expect(tally.caseNames.contains("222222222222/us-east-1/ami-0ddd0000000000004"))
        #expect(tally.caseNames.contains("333333333333/eu-central-1/DescribeImages"))
    }

    @Test func regionPoliciesHaveOneCasePerEvaluatedRegion() throws {
        let tally = try JUnitTally.parse(data)
        let suite = try #require(tally.suites.first { $0.attributes["name"] == "region-ebs-encryption-by-default" })
        #expect(suite.cases == ReportFixture.regions.count)
        #expect(suite.failedCases == 2, "one guardrail off, one unreadable; the waived one passes")
        for region in ReportFixture.regions {
            #expect(tally.caseNames.contains("\(region.accountId)/\(region.region)"))
        }
        let xml = String(decoding: data, as: UTF8.self)
        #expect(xml.contains("resource: account×region 333333333333/us-west-2"))
    }

    @Test func illegalCharactersAreStrippedAndSpecialsEscaped() {
        let xml = String(decoding: data, as: UTF8.self)
        #expect(!xml.contains("\u{1}"))
        #expect(!xml.contains("<script>"))
        #expect(xml.contains("&lt;script&gt;"))
        #expect(xml.contains("Marketplace listing &lt;b&gt;approved&lt;/b&gt; &amp; signed off"))
    }

    @Test func cleanScanHasAPassingCoverageCase() throws {
        let tally = try JUnitTally.parse(JUnitReporter.render(ReportFixture.cleanReport, context: ReportFixture.context))
        #expect(tally.root["failures"] == "0")
        #expect(tally.root["errors"] == "0")
        #expect(tally.suites.last?.cases == 1)
    }

    @Test func accountLevelErrorsAndPartialRegionsAreErrors() throws {
        var report = ReportFixture.cleanReport
        report.errors = [ScanError(accountId: "444444444444", region: nil, operation: "AssumeRole",
                                   code: "AccessDenied", message: "not authorized")]
        report.coverage.append(RegionCoverage(accountId: "111111111111", region: "sa-east-1", status: .partial,
                                              reason: "DescribeImageAttribute throttled"))
        let data = JUnitReporter.render(report, context: ReportFixture.context)
        let tally = try JUnitTally.parse(data)
        #expect(tally.caseNames.contains("444444444444/(account)/AssumeRole"))
        #expect(tally.caseNames.contains("111111111111/sa-east-1"))
        #expect(tally.suites.last?.erroredCases == 2)
        #expect(String(decoding: data, as: UTF8.self).contains("type=\"region-partial\""))
        let html = String(decoding: HTMLReporter.render(report, context: ReportFixture.context), as: UTF8.self)
        #expect(html.contains("partly read"))
        #expect(html.contains("class=\"banner bad\""))
    }

    @Test(arguments: ["\u{0}", "\u{1}", "\u{8}", "\u{B}", "\u{C}", "\u{1F}", "\u{FFFE}", "\u{FFFF}"])
    func xmlEscapeDropsEveryIllegalCharacter(bad: String) {
        #expect(Escape.xml("a\(bad)b") == "ab")
    }

    @Test func xmlEscapeKeepsWhitespaceAsReferences() {
        #expect(Escape.xml("a\tb\nc\rd") == "a&#9;b&#10;c&#13;d")
        #expect(Escape.xml("<'\"&>") == "&lt;&apos;&quot;&amp;&gt;")
    }
}
