import AmigoCore
import Foundation

/// `findings.ocsf.json`: a JSON array of OCSF Compliance Finding events (class 2003, category
/// Findings) of OCSF `version`, with the `cloud` profile. An open finding is a Create event
/// with compliance status Fail; a waived one is Suppressed; with a baseline, one resolved since
/// is a Close event with status Resolved and compliance Pass.
public enum OCSFReporter: StreamingReporter {
    public static let id = "ocsf"
    public static let fileName = "findings.ocsf.json"
    /// The schema version the events follow (validated against it in `OCSFSchemaTests`).
    public static let version = "1.8.0"
    static let classUID = 2003
    static let categoryUID = 2

    static func write(_ digest: ReportDigest, context: RenderContext, to stream: ReportStream) {
        // OCSF times are milliseconds since the epoch.
        let time = Int((context.generatedAt.timeIntervalSince1970 * 1000).rounded())
        let product: JSONValue = .object([
            "name": .string("amigo"), "vendor_name": .string("amigo"), "version": .string(context.toolVersion),
        ])
        JSONValue.lazy(SecurityFinding.all(digest)) { event($0, time: time, product: product) }.write(to: stream)
    }

    /// OCSF severity_id: 1 Informational … 5 Critical.
    static func severity(_ severity: Severity) -> (id: Int, name: String) {
        switch severity {
        case .critical: (5, "Critical")
        case .high: (4, "High")
        case .medium: (3, "Medium")
        case .low: (2, "Low")
        case .info: (1, "Informational")
        }
    }

    private static func event(_ s: SecurityFinding, time: Int, product: JSONValue) -> JSONValue {
        let f = s.finding
        let activity = s.state == .resolved ? (id: 3, name: "Close") : (id: 1, name: "Create")
        let status = switch s.state {
        case .open: (id: 1, name: "New")
        case .waived: (id: 3, name: "Suppressed")
        case .resolved: (id: 4, name: "Resolved")
        }
        let passed = s.state == .resolved
        var compliance: [String: JSONValue] = [
            "control": .string(Escape.inert(f.policyId)),
            "status_id": .int(passed ? 1 : 3),
            "status": .string(passed ? "Pass" : "Fail"),
        ]
        if !s.requirements.isEmpty {
            compliance["requirements"] = .array(s.requirements.map { .string($0) })
            compliance["standards"] = .array(s.standards.map { .string($0) })
        }
        if let rationale = s.check?.rationale { compliance["desc"] = .string(rationale) }
        var account: [String: JSONValue] = [
            "uid": .string(Escape.inert(f.accountId)), "type_id": .int(10), "type": .string("AWS Account"),
        ]
        if let name = f.accountName, !name.isEmpty { account["name"] = .string(Escape.inert(name)) }
        var resource: [String: JSONValue] = [
            "uid": .string(Escape.inert(s.resource.id)), "type": .string(s.resource.type),
            "region": .string(Escape.inert(f.region)), "cloud_partition": .string(s.partition),
        ]
        if let name = f.resourceName, !name.isEmpty { resource["name"] = .string(Escape.inert(name)) }
        if !f.evidence.isEmpty { resource["data"] = .object(["evidence": .object(s.evidence.mapValues { .string($0) })]) }
        let severity = severity(f.severity)
        var event: [String: JSONValue] = [
            "activity_id": .int(activity.id),
            "activity_name": .string(activity.name),
            "category_uid": .int(categoryUID),
            "category_name": .string("Findings"),
            "class_uid": .int(classUID),
            "class_name": .string("Compliance Finding"),
            "type_uid": .int(classUID * 100 + activity.id),
            "type_name": .string("Compliance Finding: \(activity.name)"),
            "severity_id": .int(severity.id),
            "severity": .string(severity.name),
            "status_id": .int(status.id),
            "status": .string(status.name),
            "time": .int(time),
            "message": .string(s.message),
            "metadata": .object(["version": .string(version), "product": product, "profiles": .array([.string("cloud")])]),
            "cloud": .object(["provider": .string("AWS"), "region": .string(Escape.inert(f.region)), "account": .object(account)]),
            "finding_info": .object([
                "uid": .string(f.fingerprint),
                "title": .string(s.title),
                "desc": .string(s.message),
                "analytic": .object(["uid": .string(Escape.inert(f.policyId)), "name": .string(Escape.inert(f.check)),
                                     "type_id": .int(1), "type": .string("Rule")]),
            ]),
            "compliance": .object(compliance),
            "resources": .array([.object(resource)]),
        ]
        if let waiver = s.waiverNote { event["comment"] = .string(waiver) }
        if let fix = s.check?.remediation {
            event["remediation"] = .object(["desc": .string(fix.summary), "references": .array([.string(fix.documentation)])])
        }
        return .object(event)
    }
}
