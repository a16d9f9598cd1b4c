import AmigoCore
import Foundation

/// `junit.xml`: one test suite per policy, one test case per evaluated image (or, for a
/// region policy, per evaluated account×region, named `<account>/<region>`), so a CI system
/// shows a compliance run the way it shows unit tests. A last suite, `scan-errors`, fails with
/// an error for everything amigo could not read, so an incomplete scan is never green.
///
/// Written for the JUnit schema Jenkins' xunit plugin ships (junit-10.xsd), which GitLab,
/// GitHub test reporters and Azure DevOps also read: `testsuites` carries name, tests,
/// failures, errors and time (not skipped); `testsuite` adds skipped, timestamp and hostname.
public enum JUnitReporter: StreamingReporter {
    public static let id = "junit"
    public static let fileName = "junit.xml"
    static let scanErrorsSuite = "scan-errors"

    struct Case {
        var name: String
        var classname: String
        var body: [String]
        var failed = false
        var errored = false
        var skipped = false
    }

    /// Tallies of one suite's cases, for the attributes written before them.
    struct Tally {
        var tests = 0, failures = 0, errors = 0, skipped = 0
        init(_ cases: [Case]) {
            tests = cases.count
            for c in cases {
                if c.failed { failures += 1 }
                if c.errored { errors += 1 }
                if c.skipped { skipped += 1 }
            }
        }
        /// A policy suite's: a case fails when anything unwaived was found on its subject.
        init(_ subjects: [ReportDigest.Subject]) {
            tests = subjects.count
            failures = subjects.lazy.filter { !$0.findings.isEmpty }.count
        }
        init() {}
        static func + (a: Tally, b: Tally) -> Tally {
            var sum = a
            sum.tests += b.tests; sum.failures += b.failures; sum.errors += b.errors; sum.skipped += b.skipped
            return sum
        }
    }

    /// A suite's cases: a policy's, built from its subjects when written, or a list.
    private enum Cases {
        case policy(ReportDigest.PolicyRow)
        case listed([Case])
    }

    static func write(_ digest: ReportDigest, context: RenderContext, to stream: ReportStream) {
        let report = digest.report
        // The JUnit schema's timestamp has no zone designator; it is UTC like every amigo time.
        let timestamp = String(Timestamp.iso(context.generatedAt).dropLast())
        // A policy suite has a case per evaluated image: its subjects are listed when it is
        // written and dropped after, and listed once before to count them (the totals come
        // first in the file), so one suite's subjects are held at a time, never every policy's.
        let index = SubjectIndex(images: report.images)
        var suites: [(name: String, properties: [(String, String)], cases: Cases)] = digest.policies.map { row in
            (name: row.info.id, properties: [("check", row.info.check), ("severity", row.info.severity.rawValue)],
             cases: .policy(row))
        }
        suites += rollupSuites(digest).map { suite in (suite.name, suite.properties, .listed(suite.cases)) }
        suites.append((name: scanErrorsSuite, properties: [("scan-status", report.scan.status.rawValue)]
                           + digest.warnings.map { ("warning", $0) }
                           + (digest.baselineLine.map { [("baseline", $0)] } ?? []),
                       cases: .listed(scanErrorCases(digest))))
        func tally(_ cases: Cases) -> Tally {
            switch cases {
            case .listed(let cases): return Tally(cases)
            case .policy(let row): return Tally(row.subjects(index))
            }
        }

        let total = suites.reduce(Tally()) { $0 + tally($1.cases) }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"amigo\" tests=\"\(total.tests)\" failures=\"\(total.failures)\""
        xml += " errors=\"\(total.errors)\" time=\"0\">\n"
        for suite in suites {
            let subjects: [ReportDigest.Subject]
            let tally: Tally
            switch suite.cases {
            case .listed(let cases):
                subjects = []
                tally = Tally(cases)
            case .policy(let row):
                subjects = row.subjects(index)
                tally = Tally(subjects)
            }
            xml += "  <testsuite name=\"\(Escape.xml(suite.name))\" tests=\"\(tally.tests)\""
            xml += " failures=\"\(tally.failures)\" errors=\"\(tally.errors)\""
            xml += " skipped=\"\(tally.skipped)\" time=\"0\" timestamp=\"\(timestamp)\" hostname=\"amigo\">\n"
            xml += "    <properties>\n"
            for (name, value) in suite.properties {
                xml += "      <property name=\"\(Escape.xml(name))\" value=\"\(Escape.xml(value))\"/>\n"
            }
            xml += "      <property name=\"amigo-version\" value=\"\(Escape.xml(context.toolVersion))\"/>\n"
            xml += "    </properties>\n"
            switch suite.cases {
            case .listed(let cases):
                for testCase in cases {
                    write(testCase, classname: Escape.xml(testCase.classname), to: &xml)
                    stream.writeIfFull(&xml)
                }
            case .policy(let row):
                // Every case of a suite has the policy's id as its class.
                let classname = Escape.xml(row.info.id)
                for subject in subjects {
                    write(policyCase(subject, policy: row.info), classname: classname, to: &xml)
                    stream.writeIfFull(&xml)
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        stream.write(xml)
    }

    /// `classname`: the case's class, already escaped.
    private static func write(_ testCase: Case, classname: String, to xml: inout String) {
        xml += "    <testcase classname=\""
        xml += classname
        xml += "\" name=\""
        xml += Escape.xml(testCase.name)
        xml += "\" time=\"0\""
        if testCase.body.isEmpty {
            xml += "/>\n"
            return
        }
        xml += ">\n"
        for line in testCase.body {
            xml += "      "
            xml += line
            xml += "\n"
        }
        xml += "    </testcase>\n"
    }

    static func caseName(_ key: ReportDigest.ResourceKey, name: String?) -> String {
        if key.resourceType == Finding.regionResourceType { return "\(key.accountId)/\(key.region)" }
        let id = key.resourceType == Finding.imageResourceType ? key.resourceId : "\(key.resourceType):\(key.resourceId)"
        let base = "\(key.accountId)/\(key.region)/\(id)"
        guard let name, !name.isEmpty else { return base }
        return "\(base) (\(name))"
    }

    private static func policyCase(_ subject: ReportDigest.Subject, policy: PolicyInfo) -> Case {
        var testCase = Case(name: caseName(subject.key, name: subject.name), classname: policy.id, body: [])
        for finding in subject.findings {
            testCase.failed = true
            testCase.body.append("<failure message=\"\(Escape.xml(finding.message))\" type=\"\(finding.severity.rawValue)\">"
                + Escape.xml(details(finding), attribute: false) + "</failure>")
        }
        for waived in subject.waived {
            let expiry = waived.expires.map { " (expires \(Timestamp.day($0)))" } ?? ""
            testCase.body.append("<system-out>" + Escape.xml("waived: \(waived.reason)\(expiry)\n" + details(waived.finding), attribute: false)
                + "</system-out>")
        }
        return testCase
    }

    /// What a reader of the CI log needs to check the finding without opening another report.
    private static func details(_ f: Finding) -> String {
        var lines = ["\(f.severity.rawValue): \(f.message)",
                     f.resourceType == Finding.regionResourceType
                        ? "resource: account×region \(f.accountId)/\(f.region)"
                        : "resource: \(f.resourceType) \(f.resourceId) in \(f.accountId)/\(f.region)"]
        lines += f.evidence.keys.sorted().map { "evidence \($0): \(f.evidence[$0]!)" }
        return lines.joined(separator: "\n")
    }

    private static func scanErrorCases(_ digest: ReportDigest) -> [Case] {
        var cases: [Case] = digest.errors.map { error in
            let message = "\(error.operation) failed: \(error.code): \(error.message)"
            return Case(name: "\(error.accountId)/\(error.region ?? "(account)")/\(error.operation)",
                        classname: scanErrorsSuite,
                        body: ["<error message=\"\(Escape.xml(message))\" type=\"\(Escape.xml(error.code))\"/>"],
                        errored: true)
        }
        for region in digest.coverage where region.status != .scanned {
            let name = "\(region.accountId)/\(region.region)"
            let reason = region.reason ?? region.status.rawValue
            switch region.status {
            case .skipped:
                cases.append(Case(name: name, classname: scanErrorsSuite,
                                  body: ["<skipped message=\"\(Escape.xml("region skipped: \(reason)"))\"/>"], skipped: true))
            case .failed, .partial:
                let message = "region \(region.status == .failed ? "could not be read" : "only partly read"): \(reason);"
                    + " its images are not reported as compliant"
                cases.append(Case(name: name, classname: scanErrorsSuite,
                                  body: ["<error message=\"\(Escape.xml(message))\" type=\"region-\(region.status.rawValue)\"/>"],
                                  errored: true))
            case .scanned: break
            }
        }
        if cases.isEmpty {
            // A passing case makes "nothing was unreadable" visible, not just implied by absence.
            cases.append(Case(name: "all \(digest.coverage.count) account×region read", classname: scanErrorsSuite, body: []))
        }
        return cases
    }
}
