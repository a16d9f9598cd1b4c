import AmigoCore
import Foundation

/// `findings.csv`: one row per finding (open ones first, then waived ones), for spreadsheets.
/// RFC 4180: CRLF line ends, a header row, fields quoted when they hold `,` `"` CR or LF.
/// Cells a spreadsheet would evaluate as a formula are neutralised (see `Escape.csvField`).
public enum CSVReporter: DigestReporter {
    public static let id = "csv"
    public static let fileName = "findings.csv"

    static let header = ["status", "severity", "policy_id", "check", "account_id", "account_name", "region",
                         "resource_type", "resource_id", "resource_name", "message", "evidence",
                         "waiver_reason", "waiver_expires", "fingerprint", "baseline"]

    static func render(_ digest: ReportDigest, context: RenderContext) -> Data {
        let report = digest.report
        var rows = [header]
        rows += digest.findings.map { row($0, status: "open", reason: "", expires: "") + [digest.baselineState($0) ?? ""] }
        rows += digest.waived.map {
            row($0.finding, status: "waived", reason: $0.reason, expires: $0.expires.map(Timestamp.iso) ?? "") + [""]
        }
        rows += (digest.report.baseline?.resolved ?? []).map {
            row($0, status: "resolved", reason: "", expires: "") + ["resolved"]
        }
        rows += digest.report.expiringWaivers.indices.map { i in
            let w = digest.report.expiringWaivers[i]
            return ["warning", "", w.policyId, "", "", "", "", "", "", "", digest.warnings[i], "", w.reason,
                    w.expires.map(Timestamp.iso) ?? "", "", ""]
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
