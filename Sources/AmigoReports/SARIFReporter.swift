import AmigoCore
import Foundation

/// `findings.sarif`: SARIF 2.1.0, one rule per policy, one result per finding. AMIs have no
/// source file, so results are located logically (`aws/<account>/<region>/<image-id>`, or
/// `aws/<account>/<region>` for a region policy's finding), and physically at the policy in its
/// file, relative to `%SRCROOT%` (`SourceRoot`); waived findings are results with an accepted
/// external suppression, as SARIF intends. Rules carry their check's rationale and remediation.
public enum SARIFReporter: StreamingReporter {
    public static let id = "sarif"
    public static let fileName = "findings.sarif"
    static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    /// GitHub code scanning resolves it to the checkout; its absolute URI is left out so the
    /// file names no folder of the machine that scanned.
    static let sourceRoot = "%SRCROOT%"

    static func write(_ digest: ReportDigest, context: RenderContext, to stream: ReportStream) {
        let report = digest.report
        let rules = digest.policies.map(\.info)
        let ruleIndex = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let policies = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let open = digest.findings, waived = digest.waived
        // Built one result at a time as the file is written: a tree of every result would be
        // the size of the file again.
        let results = JSONValue.lazy(0..<(open.count + waived.count)) { index -> JSONValue in
            guard index >= open.count else {
                let f = open[index]
                guard let state = digest.baselineState(f),
                      case .object(var members) = result(f, ruleIndex: ruleIndex, policies: policies) else {
                    return result(f, ruleIndex: ruleIndex, policies: policies)
                }
                members["baselineState"] = .string(state == "new" ? "new" : "unchanged")
                return .object(members)
            }
            let waived = waived[index - open.count]
            guard case .object(var members) = result(waived.finding, ruleIndex: ruleIndex, policies: policies) else { return JSONValue.null }
            var suppression: [String: JSONValue] = [
                "kind": .string("external"), "status": .string("accepted"), "justification": .string(waived.reason),
            ]
            if let expires = waived.expires {
                suppression["properties"] = .object(["expires": .date(expires)])
            }
            members["suppressions"] = .array([.object(suppression)])
            return .object(members)
        }
        let scan = report.scan
        var invocation: [String: JSONValue] = [
            "executionSuccessful": .bool(!digest.isIncomplete),
            "startTimeUtc": .date(scan.startedAt),
            "toolExecutionNotifications": .array(digest.errors.map(notification) + digest.warnings.map(warning)),
        ]
        if let finished = scan.finishedAt { invocation["endTimeUtc"] = .date(finished) }
        let run: JSONValue = .object([
            "tool": .object(["driver": .object([
                "name": .string("amigo"),
                "version": .string(context.toolVersion),
                "rules": .array(rules.map(rule)),
            ])]),
            "invocations": .array([.object(invocation)]),
            "originalUriBaseIds": .object([sourceRoot: .object(["description": .object(["text": .string(
                "The folder policy files are located from: the repository holding them (the nearest folder with .git), else the working directory of the scan.")])])]),
            "results": results,
            "properties": .object([
                "scanId": scan.id.map { .int(Int($0)) } ?? .null,
                "scanStatus": .string(scan.status.rawValue),
                "source": .string(scan.source),
                "asOf": .date(scan.asOf),
                "generatedAt": .date(context.generatedAt),
                "resolvedFingerprints": digest.report.baseline.map { .array($0.resolved.map { .string($0.fingerprint) }) } ?? .null,
            ]),
        ])
        JSONValue.object([
            "$schema": .string(schemaURI),
            "version": .string("2.1.0"),
            "runs": .array([run]),
        ]).write(to: stream)
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    /// GitHub code scanning's scale: ≥9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
    static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "0.0"
        }
    }

    private static func rule(_ policy: PolicyInfo) -> JSONValue {
        let summary = policy.description ?? "\(policy.check) check, severity \(policy.severity.rawValue)"
        let controls = policy.frameworks.keys.sorted().flatMap { framework in
            policy.frameworks[framework]!.map { JSONValue.string("\(framework):\($0)") }
        }
        var members = explanation(CheckRegistry.type(for: policy.check)?.descriptor)
        members.merge([
            "id": .string(policy.id),
            "name": .string(policy.id),
            "shortDescription": .object(["text": .string(summary)]),
            "defaultConfiguration": .object(["level": .string(level(policy.severity))]),
            "properties": .object([
                "security-severity": .string(securitySeverity(policy.severity)),
                "severity": .string(policy.severity.rawValue),
                "check": .string(policy.check),
                "tags": .array([.string("security"), .string("aws-ami")] + controls),
            ]),
        ]) { _, new in new }
        return .object(members)
    }

    /// What the check guards against and how to fix a finding; nothing for a check this
    /// version does not know (a stored scan's).
    private static func explanation(_ check: CheckDescriptor?) -> [String: JSONValue] {
        guard let check else { return [:] }
        let fix = check.remediation
        let text = [fix.summary, "AWS CLI (amigo only reads; a reviewer runs these):"]
            .joined(separator: "\n\n") + "\n" + fix.commands.map { "  $ " + $0 }.joined(separator: "\n")
            + "\n\nDocumentation: \(fix.documentation)"
        let markdown = """
            **Why:** \(Escape.markdownCell(check.rationale))

            **Fix:** \(Escape.markdownCell(fix.summary))

            AWS CLI (amigo only reads; a reviewer runs these):

            ```sh
            \(fix.commands.joined(separator: "\n"))
            ```

            [AWS documentation](\(fix.documentation))
            """
        return [
            "fullDescription": .object(["text": .string(check.rationale)]),
            "help": .object(["text": .string(text), "markdown": .string(markdown)]),
            "helpUri": .string(fix.documentation),
        ]
    }

    private static func result(_ f: Finding, ruleIndex: [String: Int], policies: [String: PolicyInfo]) -> JSONValue {
        var members: [String: JSONValue] = [
            "ruleId": .string(f.policyId),
            "level": .string(level(f.severity)),
            "kind": .string("fail"),
            "message": .object(["text": .string(f.message)]),
            "locations": .array([.object(location(f, policy: policies[f.policyId]))]),
            "partialFingerprints": .object(["amigoFinding/v1": .string(f.fingerprint)]),
            "properties": .object([
                "severity": .string(f.severity.rawValue),
                "accountId": .string(f.accountId),
                "accountName": .string(f.accountName),
                "region": .string(f.region),
                "resourceType": .string(f.resourceType),
                "resourceName": .string(f.resourceName),
                "evidence": .object(f.evidence.mapValues { .string($0) }),
            ]),
        ]
        if let index = ruleIndex[f.policyId] { members["ruleIndex"] = .int(index) }
        return .object(members)
    }

    /// The AWS resource as a logical location, and, when the policy's file is known, that
    /// file and line as the physical one: code scanning (GitHub's among them) needs a file.
    private static func location(_ f: Finding, policy: PolicyInfo?) -> [String: JSONValue] {
        var location: [String: JSONValue] = ["logicalLocations": .array([.object([
            "name": .string(f.resourceId),
            "fullyQualifiedName": .string(f.resourceType == Finding.regionResourceType
                ? ["aws", f.accountId, f.region].joined(separator: "/")
                : ["aws", f.accountId, f.region, f.resourceId].joined(separator: "/")),
            "kind": .string("resource"),
        ])])]
        if let file = policy?.sourceFile {
            var physical: [String: JSONValue] = ["artifactLocation": .object([
                "uri": .string(uriReference(file)), "uriBaseId": .string(sourceRoot),
            ])]
            if let line = policy?.sourceLine { physical["region"] = .object(["startLine": .int(line)]) }
            location["physicalLocation"] = .object(physical)
        }
        return location
    }

    /// A relative path as a URI reference: each segment percent-encoded (a space, `#` or `%`
    /// in a file name would otherwise change what the URI names).
    static func uriReference(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ";?#%")
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0) }
            .joined(separator: "/")
    }

    private static func warning(_ text: String) -> JSONValue {
        .object(["level": .string("warning"), "descriptor": .object(["id": .string("waiver-expiring")]),
                 "message": .object(["text": .string(text)])])
    }

    private static func notification(_ e: ScanError) -> JSONValue {
        .object([
            "level": .string("error"),
            "descriptor": .object(["id": .string(e.code)]),
            "message": .object(["text": .string(
                "\(e.operation) failed in \(e.accountId)/\(e.region ?? "(account)"): \(e.code): \(e.message)")]),
        ])
    }
}
