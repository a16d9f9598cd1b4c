import AmigoCore
@testable import AmigoReports
import Foundation
import Testing

private func array(_ data: Data) throws -> [[String: Any]] {
    try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
}

/// The fixture with a baseline: one finding known before, one known finding now resolved.
private var reportWithBaseline: Report {
    var report = ReportFixture.report
    let gone = ReportFixture.finding(ReportFixture.maxAge, 0, "Image is 200 days old (max 180)")
    report.baseline = BaselineComparison(known: [report.findings[0].fingerprint, gone.fingerprint], resolved: [gone])
    return report
}

/// Issue 11: SARIF rules explain themselves with their check's descriptor.
@Suite struct SARIFExplanationTests {
    @Test func everyRuleCarriesItsChecksRationaleRemediationAndDocumentation() throws {
        let sarif = try #require(try JSONSerialization.jsonObject(
            with: SARIFReporter.render(ReportFixture.report, context: ReportFixture.context)) as? [String: Any])
        let driver = (((sarif["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"]) as? [String: Any]
        let rules = try #require(driver?["rules"] as? [[String: Any]])
        #expect(rules.count == ReportFixture.report.results.count)
        for rule in rules {
            let policy = try #require(ReportFixture.report.results.first { $0.policy.id == rule["id"] as? String }?.policy)
            let check = try #require(CheckRegistry.type(for: policy.check)?.descriptor, "\(policy.check)")
            #expect((rule["fullDescription"] as? [String: String])?["text"] == check.rationale)
            #expect(rule["helpUri"] as? String == check.remediation.documentation)
            let help = try #require(rule["help"] as? [String: String])
            let text = try #require(help["text"]), markdown = try #require(help["markdown"])
            #expect(text.contains(check.remediation.summary))
            #expect(markdown.contains("](\(check.remediation.documentation))"))
            for command in check.remediation.commands {
                #expect(text.contains("$ " + command))
                #expect(markdown.contains("\n" + command + "\n"), "commands sit in a fenced block, unescaped")
            }
        }
    }

    @Test func aCheckThisVersionDoesNotKnowLeavesTheRuleUnexplained() throws {
        var report = ReportFixture.report
        report.results[0].policy.check = "retired-check"
        let sarif = String(decoding: SARIFReporter.render(report, context: ReportFixture.context), as: UTF8.self)
        #expect(sarif.components(separatedBy: "\"helpUri\"").count == report.results.count)
    }

    @Test(arguments: [("policies/baseline.yml", "policies/baseline.yml"), ("my policies/a#b%.yml", "my%20policies/a%23b%25.yml")])
    func artifactURIsAreRelativeReferences(path: String, uri: String) {
        #expect(SARIFReporter.uriReference(path) == uri)
    }
}

/// Issue 11: ASFF documents as `securityhub batch-import-findings` takes them. The shape is
/// checked against botocore's model in `FormatSchemaTests`; these check the meaning.
@Suite struct ASFFReporterTests {
    @Test func oneDocumentPerFindingWaiverAndResolvedFindingInAccountRegionOrder() throws {
        let report = reportWithBaseline
        let documents = try array(ASFFReporter.render(report, context: ReportFixture.context))
        #expect(documents.count == report.findings.count + report.waived.count + 1)
        let keys = documents.map { "\($0["AwsAccountId"] as? String ?? "")/\($0["Region"] as? String ?? "")" }
        #expect(keys == keys.sorted(), "batches of one account×region stay together")
        #expect(Set(documents.compactMap { $0["Id"] as? String }).count == documents.count)
        for document in documents {
            let account = try #require(document["AwsAccountId"] as? String)
            let region = try #require(document["Region"] as? String)
            #expect(document["SchemaVersion"] as? String == "2018-10-08")
            #expect(document["ProductArn"] as? String == "arn:aws:securityhub:\(region):\(account):product/\(account)/default")
            #expect(document["CreatedAt"] as? String == "2025-06-01T12:00:00Z")
            #expect(document["UpdatedAt"] as? String == "2025-06-01T12:00:00Z")
            let resource = try #require((document["Resources"] as? [[String: Any]])?.first)
            if resource["Type"] as? String == "AwsEc2Image" {
                #expect((resource["Id"] as? String)?.hasPrefix("arn:aws:ec2:\(region)::image/ami-") == true)
            } else {
                #expect(resource["Type"] as? String == "AwsAccount")
                #expect(resource["Id"] as? String == "AWS::::Account:\(account)")
            }
            let severity = try #require(document["Severity"] as? [String: String])
            #expect((document["FindingProviderFields"] as? [String: Any])?["Severity"] as? [String: String] == severity)
        }
        let open = report.findings[0]
        let first = try #require(documents.first { $0["Id"] as? String == open.fingerprint })
        #expect(first["GeneratorId"] as? String == "amigo/\(open.policyId)")
        #expect((first["Severity"] as? [String: String])?["Label"] == ASFFReporter.label(open.severity))
        #expect((first["Compliance"] as? [String: Any])?["Status"] as? String == "FAILED")
        #expect(first["RecordState"] as? String == "ACTIVE")
        let check = try #require(CheckRegistry.type(for: open.check)?.descriptor)
        let recommendation = ((first["Remediation"] as? [String: Any])?["Recommendation"]) as? [String: String]
        #expect(recommendation?["Url"] == check.remediation.documentation)

        let resolved = try #require(documents.first { $0["Id"] as? String == report.baseline?.resolved.first?.fingerprint })
        #expect(resolved["RecordState"] as? String == "ARCHIVED")
        #expect((resolved["Compliance"] as? [String: Any])?["Status"] as? String == "PASSED")
        let waived = try #require(documents.first { $0["Id"] as? String == report.waived[0].finding.fingerprint })
        #expect((waived["Workflow"] as? [String: String])?["Status"] == "SUPPRESSED")
        #expect((waived["ProductFields"] as? [String: String])?["amigo/Waiver"]?.contains("expires on 2027-03-31") == true)
    }

    @Test(arguments: [(Severity.critical, "CRITICAL"), (.high, "HIGH"), (.medium, "MEDIUM"), (.low, "LOW"), (.info, "INFORMATIONAL")])
    func severityLabels(severity: Severity, label: String) {
        #expect(ASFFReporter.label(severity) == label)
    }

    @Test func longTextIsCutToSecurityHubsLimitsAndPartitionsFollowTheRegion() throws {
        var report = ReportFixture.cleanReport
        var finding = ReportFixture.finding(ReportFixture.tags, 0, String(repeating: "é", count: 3000))
        finding.region = "cn-north-1"
        report.results[0].findings = [finding]
        report.results[0].policy.description = String(repeating: "t", count: 400)
        let document = try #require(try array(ASFFReporter.render(report, context: ReportFixture.context)).first)
        #expect((document["Title"] as? String)?.count == 256)
        #expect((document["Description"] as? String)?.count == 1024)
        #expect((document["Description"] as? String)?.hasSuffix("…") == true)
        #expect((document["ProductArn"] as? String)?.hasPrefix("arn:aws-cn:securityhub:cn-north-1:") == true)
    }
}

/// Issue 11: OCSF Compliance Finding events. The schema is checked in `FormatSchemaTests`.
@Suite struct OCSFReporterTests {
    @Test func complianceFindingEventsCarryIdentityTimeAndStates() throws {
        let report = reportWithBaseline
        let events = try array(OCSFReporter.render(report, context: ReportFixture.context))
        #expect(events.count == report.findings.count + report.waived.count + 1)
        for event in events {
            #expect(event["class_uid"] as? Int == 2003)
            #expect(event["category_uid"] as? Int == 2)
            #expect(event["type_uid"] as? Int == 200300 + (event["activity_id"] as? Int ?? -1))
            #expect(event["time"] as? Int == 1_748_779_200_000)
            let metadata = try #require(event["metadata"] as? [String: Any])
            #expect(metadata["version"] as? String == OCSFReporter.version)
            #expect((metadata["product"] as? [String: String])?["version"] == "1.0.0-test")
        }
        let open = report.findings[0]
        let first = try #require(events.first { ($0["finding_info"] as? [String: Any])?["uid"] as? String == open.fingerprint })
        #expect(first["severity_id"] as? Int == OCSFReporter.severity(open.severity).id)
        #expect(first["status_id"] as? Int == 1)
        #expect((first["compliance"] as? [String: Any])?["status_id"] as? Int == 3)
        let resolvedID = report.baseline?.resolved.first?.fingerprint
        let resolved = try #require(events.first { ($0["finding_info"] as? [String: Any])?["uid"] as? String == resolvedID })
        #expect(resolved["activity_id"] as? Int == 3)
        #expect(resolved["status_id"] as? Int == 4)
        #expect((resolved["compliance"] as? [String: Any])?["status_id"] as? Int == 1)
        let waivedID = report.waived[0].finding.fingerprint
        let waived = try #require(events.first { ($0["finding_info"] as? [String: Any])?["uid"] as? String == waivedID })
        #expect(waived["status_id"] as? Int == 3)
    }

    @Test(arguments: [(Severity.critical, 5), (.high, 4), (.medium, 3), (.low, 2), (.info, 1)])
    func severityIDs(severity: Severity, id: Int) {
        #expect(OCSFReporter.severity(severity).id == id)
    }
}

/// AWS and policy strings reach Security Hub's and a SIEM's screens: inert there too.
@Suite struct SecurityFormatInertTests {
    @Test(arguments: InertEscapingTests.steering)
    func steeringCharactersInAWSAndPolicyTextAreMadeVisible(_ value: String) throws {
        var report = ReportFixture.report
        report.results[0].policy.description = "policy " + value
        report.results[0].findings[0].message = "message " + value
        report.results[0].findings[0].resourceName = "name " + value
        report.results[0].findings[0].evidence = ["tag:Owner": value]
        report.waived[0] = WaivedFinding(finding: report.waived[0].finding, reason: "reason " + value, expires: nil)
        for reporter in [ASFFReporter.self, OCSFReporter.self] as [any Reporter.Type] {
            let decoded = try array(reporter.render(report, context: ReportFixture.context))
            var all: [String] = []
            func collect(_ value: Any) {
                if let s = value as? String { all.append(s) }
                if let a = value as? [Any] { a.forEach(collect) }
                if let d = value as? [String: Any] { d.forEach { all.append($0.key); collect($0.value) } }
            }
            collect(decoded)
            #expect(all.allSatisfy { !InertEscapingTests.hasSteering($0) }, "\(reporter.id) kept a steering character")
            #expect(all.contains { $0.hasPrefix("message ") }, "\(reporter.id) lost the message")
        }
    }
}
