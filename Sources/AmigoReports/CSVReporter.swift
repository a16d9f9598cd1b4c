import AmigoCore
import Foundation

/// `findings.csv`: one row per finding (open ones first, then waived ones), for spreadsheets.
/// RFC 4180: CRLF line ends, a header row, fields quoted when they hold `,` `"` CR or LF.
/// Cells a spreadsheet would evaluate as a formula are neutralised (see `Escape.csvField`).
/// `controls` lists the framework controls the finding's policy evidences
/// (`cis-compute-1.0:2.1.2; nist-800-53-r5:SC-28`), from the framework files.
public enum CSVReporter: DigestReporter {
    public static let id = "csv"
    public static let fileName = "findings.csv"

    static let header = ["status", "severity", "policy_id", "check", "account_id", "account_name", "region",
                         "resource_type", "resource_id", "resource_name", "message", "evidence",
                         "waiver_reason", "waiver_expires", "fingerprint", "baseline", "controls"]

    static func render(_ digest: ReportDigest, context: RenderContext) -> Data {
        let mapped = Dictionary(digest.policies.map { row in
            (row.info.id, row.info.frameworks.keys.sorted().flatMap { framework in
                row.info.frameworks[framework]!.map { "\(framework):\($0)" }
            }.joined(separator: "; "))
        }, uniquingKeysWith: { first, _ in first })
        func controls(_ f: Finding) -> String { mapped[f.policyId] ?? "" }
        var rows = [header]
        rows += digest.findings.map { row($0, status: "open", reason: "", expires: "") + [digest.baselineState($0) ?? "", controls($0)] }
        rows += digest.waived.map {
            row($0.finding, status: "waived", reason: $0.reason, expires: $0.expires.map(Timestamp.iso) ?? "") + ["", controls($0.finding)]
        }
        rows += (digest.report.baseline?.resolved ?? []).map {
            row($0, status: "resolved", reason: "", expires: "") + ["resolved", controls($0)]
        }
        rows += digest.report.expiringWaivers.indices.map { i in
            let w = digest.report.expiringWaivers[i]
            return ["warning", "", w.policyId, "", "", "", "", "", "", "", digest.warnings[i], "", w.reason,
                    w.expires.map(Timestamp.iso) ?? "", "", "", ""]
        }
        let text = rows.map { $0.map(Escape.csvField).joined(separator: ",") + "\r\n" }.joined()
        return Data(text.utf8)
    }

    private static func row(_ f: Finding, status: String, reason: String, expires: String) -> [String] {
        let evidence = f.evidence.keys.sorted().map { "\($0)=\(f.evidence[$0]!)" }.joined(separator: "; ")
        return [status, f.severity.rawValue, f.policyId, f.check, f.accountId, f.accountName ?? "", f.region,
                f.resourceType, f.resourceId, f.resourceName ?? "", f.message, evidence, reason, expires, f.fingerprint]
    }
}
