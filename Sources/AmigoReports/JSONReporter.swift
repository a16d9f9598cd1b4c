import AmigoCore
import Foundation

/// `findings.json`: the machine-readable report. Its schema is documented field by field in
/// docs/report-schema.md; bump `schemaVersion` (minor: fields added, major: anything else)
/// whenever the shape changes.
public enum JSONReporter: StreamingReporter {
    public static let id = "json"
    public static let fileName = "findings.json"
    public static let schemaVersion = "1.3"

    static func write(_ digest: ReportDigest, context: RenderContext, to stream: ReportStream) {
        document(digest, context: context).write(to: stream)
    }

    static func document(_ digest: ReportDigest, context: RenderContext) -> JSONValue {
        let scan = digest.report.scan
        return .object([
            "schemaVersion": .string(schemaVersion),
            "tool": .object(["name": .string("amigo"), "version": .string(context.toolVersion)]),
            "generatedAt": .date(context.generatedAt),
            "scan": .object([
                "id": scan.id.map { .int(Int($0)) } ?? .null,
                "startedAt": .date(scan.startedAt),
                "finishedAt": .date(scan.finishedAt),
                "asOf": .date(scan.asOf),
                "status": .string(scan.status.rawValue),
                "source": .string(scan.source),
            ]),
            "evaluation": digest.report.evaluation.map { e in
                .object([
                    "id": .int(Int(e.id)),
                    "policyDigest": .string(e.policyDigest),
                    "asOf": .date(e.asOf),
                    "amigoVersion": .string(e.amigoVersion),
                    "evaluatedAt": .date(e.evaluatedAt),
                ])
            } ?? .null,
            "summary": summary(digest),
            "policies": .array(digest.policies.map(policy)),
            "findings": .lazy(digest.findings) { finding($0, baseline: digest.baselineState($0)) },
            "baseline": digest.report.baseline.map { b in
                .object([
                    "new": .int(digest.newFindings ?? 0),
                    "existing": .int(digest.findings.count - (digest.newFindings ?? 0)),
                    "resolved": .array(b.resolved.map { finding($0, baseline: "resolved") }),
                ])
            } ?? .null,
            "waived": .lazy(digest.waived, waived),
            "scanErrors": .array(digest.errors.map(scanError)),
            "warnings": .array(digest.warnings.map(JSONValue.string)),
            "coverage": .array(digest.coverage.map(coverage)),
            "frameworks": .array(digest.report.frameworks.map(rollup)),
        ])
    }

    private static func rollup(_ r: FrameworkRollup) -> JSONValue {
        .object([
            "id": .string(r.framework.id),
            "name": .string(r.framework.name),
            "version": .string(r.framework.version),
            "document": .string(r.framework.document),
            "url": .string(r.framework.url),
            "enabledPolicies": .array(r.enabledPolicies.map(JSONValue.string)),
            "summary": .object(Dictionary(uniqueKeysWithValues: ControlStatus.allCases.map { ($0.rawValue, .int(r.count($0))) })),
            "controls": .array(r.controls.map { c in
                .object([
                    "id": .string(c.control.id),
                    "title": .string(c.control.title),
                    "section": .string(c.control.section),
                    "url": .string(c.control.url ?? r.framework.url),
                    "status": .string(c.status.rawValue),
                    "reason": .string(c.reason),
                    "note": .string(c.control.note),
                    "evaluated": .int(c.evaluated),
                    "failed": .int(c.failed),
                    "findings": .int(c.findings),
                    "waived": .int(c.waived),
                    "policies": .array(c.policies.map { p in
                        .object([
                            "id": .string(p.policyId),
                            "status": .string(p.status.rawValue),
                            "reason": .string(p.reason),
                            "evaluated": .int(p.evaluated),
                            "failed": .int(p.failed),
                            "findings": .int(p.findings),
                            "waived": .int(p.waived),
                        ])
                    }),
                ])
            }),
        ])
    }

    private static func summary(_ digest: ReportDigest) -> JSONValue {
        .object([
            "bySeverity": severityCounts(digest.bySeverity),
            "byPolicy": .object(Dictionary(digest.policies.map { row in
                (row.info.id, .object([
                    "severity": .string(row.info.severity.rawValue),
                    "evaluated": .int(row.evaluated),
                    "failed": .int(row.failed),
                    "findings": .int(row.findings.count),
                    "waived": .int(row.waived.count),
                ]))
            }, uniquingKeysWith: { first, _ in first })),
            "byAccount": .object(Dictionary(uniqueKeysWithValues: digest.accounts.map { row in
                (row.id, .object([
                    "name": .string(row.name),
                    "imagesEvaluated": .int(row.images),
                    "findings": .int(row.findings),
                    "bySeverity": severityCounts(row.bySeverity),
                    "waived": .int(row.waived),
                    "scanErrors": .int(row.scanErrors),
                ]))
            })),
            "imagesEvaluated": .int(digest.report.images.count),
            "regionsEvaluated": .int(digest.regionsEvaluated),
            "findings": .int(digest.findings.count),
            "waived": .int(digest.waived.count),
            "scanErrors": .int(digest.errors.count),
            "regions": .object(Dictionary(uniqueKeysWithValues: [RegionCoverage.Status.scanned, .partial, .failed, .skipped]
                .map { ($0.rawValue, .int(digest.regionCount($0))) })),
        ])
    }

    static func severityCounts(_ counts: [Severity: Int]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, .int(counts[$0] ?? 0)) }))
    }

    private static func policy(_ row: ReportDigest.PolicyRow) -> JSONValue {
        .object([
            "id": .string(row.info.id),
            "check": .string(row.info.check),
            "severity": .string(row.info.severity.rawValue),
            "resourceType": .string(row.info.resourceType),
            "description": .string(row.info.description),
            "frameworks": .object(row.info.frameworks.mapValues { .array($0.map(JSONValue.string)) }),
            "evaluated": .int(row.evaluated),
            "failed": .int(row.failed),
        ])
    }

    static func finding(_ f: Finding, baseline: String? = nil) -> JSONValue {
        let fingerprint = JSONValue.string(f.fingerprint)
        return .object([
            "baseline": .string(baseline),
            "id": fingerprint,
            "policyId": .string(f.policyId),
            "check": .string(f.check),
            "severity": .string(f.severity.rawValue),
            "accountId": .string(f.accountId),
            "accountName": .string(f.accountName),
            "region": .string(f.region),
            "resourceType": .string(f.resourceType),
            "resourceId": .string(f.resourceId),
            "resourceName": .string(f.resourceName),
            "message": .string(f.message),
            "evidence": .object(f.evidence.mapValues(JSONValue.string)),
            "discriminator": .string(f.discriminator),
            "fingerprint": fingerprint,
        ])
    }

    private static func waived(_ w: WaivedFinding) -> JSONValue {
        guard case .object(var members) = finding(w.finding) else { return .null }
        members["waiver"] = .object(["reason": .string(w.reason), "expires": .date(w.expires)])
        return .object(members)
    }

    private static func scanError(_ e: ScanError) -> JSONValue {
        .object([
            "accountId": .string(e.accountId),
            "region": .string(e.region),
            "operation": .string(e.operation),
            "code": .string(e.code),
            "message": .string(e.message),
        ])
    }

    private static func coverage(_ c: RegionCoverage) -> JSONValue {
        .object([
            "accountId": .string(c.accountId),
            "region": .string(c.region),
            "status": .string(c.status.rawValue),
            "reason": .string(c.reason),
            "imageCount": .int(c.imageCount),
        ])
    }
}
