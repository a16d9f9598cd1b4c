import AmigoCore
@testable import AmigoReports
import Foundation
import Testing

/// Each failing policy's rationale and remediation, from its check's descriptor, in the reports
/// people read (SARIF carries them as rule help).
struct RemediationSectionTests {
    static let failing = ReportDigest(ReportFixture.report).policies.filter { !$0.findings.isEmpty }

    @Test func theFixtureHasFailingPolicies() { #expect(Self.failing.count >= 2) }

    @Test func htmlSaysWhyAndHowToFixEveryFailingPolicy() throws {
        let html = String(decoding: HTMLReporter.render(ReportFixture.report, context: ReportFixture.context), as: UTF8.self)
        let section = try #require(html.components(separatedBy: "<section id=\"remediation\">").dropFirst().first)
        for row in Self.failing {
            let check = try #require(CheckRegistry.type(for: row.info.check)?.descriptor)
            #expect(section.contains(Escape.html(check.rationale)), "\(row.info.id)")
            #expect(section.contains(Escape.html(check.remediation.summary)), "\(row.info.id)")
            #expect(section.contains("href=\"\(Escape.html(check.remediation.documentation))\""), "\(row.info.id)")
            for command in check.remediation.commands { #expect(section.contains(Escape.html(command)), "\(row.info.id)") }
        }
    }

    @Test func markdownCarriesTheCommandsAndTheLink() throws {
        let md = String(decoding: MarkdownReporter.render(ReportFixture.report, context: ReportFixture.context), as: UTF8.self)
        let section = try #require(md.components(separatedBy: "### How to fix").dropFirst().first)
        for row in Self.failing {
            let check = try #require(CheckRegistry.type(for: row.info.check)?.descriptor)
            #expect(section.contains("(\(check.remediation.documentation))"), "\(row.info.id)")
            for command in check.remediation.commands { #expect(section.contains(command), "\(row.info.id)") }
        }
    }
}
