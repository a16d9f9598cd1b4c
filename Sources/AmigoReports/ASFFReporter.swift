import AmigoCore
import Foundation

/// `findings.asff.json`: one AWS Security Finding Format document per finding, as a JSON
/// array `aws securityhub batch-import-findings --findings file://…` takes. The ProductArn is
/// each account's own custom integration (`product/ACCOUNT/default`), in the finding's
/// region: Security Hub accepts such a finding only from that account, so findings are
/// ordered by account and region and a file is imported in batches of one account×region
/// and at most `batchLimit` findings (README, "Security Hub"). amigo itself never writes to AWS.
public enum ASFFReporter: StreamingReporter {
    public static let id = "asff"
    public static let fileName = "findings.asff.json"
    static let schemaVersion = "2018-10-08"
    /// What one `BatchImportFindings` call takes (botocore: `Findings` max 100).
    public static let batchLimit = 100
    static let findingType = "Software and Configuration Checks/AWS Security Best Practices"
    static let standardsType = "Software and Configuration Checks/Industry and Regulatory Standards"

    static func write(_ digest: ReportDigest, context: RenderContext, to stream: ReportStream) {
        let time = Timestamp.iso(context.generatedAt)
        JSONValue.lazy(SecurityFinding.all(digest)) { document($0, time: time) }.write(to: stream)
    }

    static func label(_ severity: Severity) -> String {
        switch severity {
        case .critical: "CRITICAL"
        case .high: "HIGH"
        case .medium: "MEDIUM"
        case .low: "LOW"
        case .info: "INFORMATIONAL"
        }
    }

    // Field limits are Security Hub's (AwsSecurityFinding in the Security Hub API reference).
    private static func document(_ s: SecurityFinding, time: String) -> JSONValue {
        let f = s.finding
        let severity: JSONValue = .object(["Label": .string(label(f.severity)), "Original": .string(f.severity.rawValue)])
        let types: [JSONValue] = [.string(findingType)] + (s.requirements.isEmpty ? [] : [.string(standardsType)])
        var compliance: [String: JSONValue] = ["Status": .string(s.state == .resolved ? "PASSED" : "FAILED")]
        if !s.requirements.isEmpty {
            compliance["RelatedRequirements"] = .array(s.requirements.prefix(32).map { .string($0.truncated(to: 128)) })
        }
        var productFields: [String: JSONValue] = [
            "amigo/PolicyId": .string(Escape.inert(f.policyId)),
            "amigo/Check": .string(Escape.inert(f.check)),
        ]
        if let waiver = s.waiverNote { productFields["amigo/Waiver"] = .string(waiver.truncated(to: 1024)) }
        var details: [String: JSONValue] = [:]
        if let name = f.resourceName, !name.isEmpty { details["Name"] = .string(Escape.inert(name).truncated(to: 1024)) }
        for (key, value) in s.evidence.sorted(by: { $0.key < $1.key }).prefix(40) {
            details[("evidence:" + key).truncated(to: 128)] = .string(value.truncated(to: 1024))
        }
        var resource: [String: JSONValue] = [
            "Type": .string(s.resource.type), "Id": .string(Escape.inert(s.resource.id)),
            "Partition": .string(s.partition), "Region": .string(Escape.inert(f.region)),
        ]
        if !details.isEmpty { resource["Details"] = .object(["Other": .object(details)]) }
        var document: [String: JSONValue] = [
            "SchemaVersion": .string(schemaVersion),
            "Id": .string(f.fingerprint),
            "ProductArn": .string(Escape.inert("arn:\(s.partition):securityhub:\(f.region):\(f.accountId):product/\(f.accountId)/default")),
            "ProductName": .string("amigo"),
            "CompanyName": .string("amigo"),
            "GeneratorId": .string(Escape.inert("amigo/" + f.policyId).truncated(to: 512)),
            "AwsAccountId": .string(Escape.inert(f.accountId)),
            "Region": .string(Escape.inert(f.region)),
            "Types": .array(types),
            "CreatedAt": .string(time),
            "UpdatedAt": .string(time),
            "Severity": severity,
            "Title": .string(s.title.truncated(to: 256)),
            "Description": .string(s.message.truncated(to: 1024)),
            "Resources": .array([.object(resource)]),
            "Compliance": .object(compliance),
            "FindingProviderFields": .object(["Severity": severity, "Types": .array(types)]),
            "ProductFields": .object(productFields),
            "RecordState": .string(s.state == .resolved ? "ARCHIVED" : "ACTIVE"),
            "Workflow": .object(["Status": .string(workflow(s.state))]),
        ]
        if let fix = s.check?.remediation {
            document["Remediation"] = .object(["Recommendation": .object([
                "Text": .string(fix.summary.truncated(to: 512)), "Url": .string(fix.documentation),
            ])])
        }
        return .object(document)
    }

    private static func workflow(_ state: SecurityFinding.State) -> String {
        switch state {
        case .open: "NEW"
        case .waived: "SUPPRESSED"
        case .resolved: "RESOLVED"
        }
    }
}
