import AmigoCore
import Foundation

/// `findings.csv`: one row per finding (open ones first, then waived ones), for spreadsheets.
/// RFC 4180: CRLF line ends, a header row, fields quoted when they hold `,` `"` CR or LF.
/// Cells a spreadsheet would evaluate as a formula are neutralised (see `Escape.csvField`).
/// `controls` lists the framework controls the finding's policy evidences
/// (`cis-compute-1.0:2.1.2; nist-800-53-r5:SC-28`), from the framework files.
public enum CSVReporter: StreamingReporter {
    public static let id = "csv"
    public static let fileName = "findings.csv"

    static let header = ["status", "severity", "policy_id", "check", "account_id", "account_name", "region",
                         "resource_type", "resource_id", "resource_name", "message", "evidence",
                         "waiver_reason", "waiver_expires", "fingerprint", "baseline", "controls"]

    static func write(_ digest: ReportDigest, context: RenderContext, to stream: ReportStream) {
        let mapped = Dictionary(digest.policies.map { row in
            (row.info.id, row.info.frameworks.keys.sorted().flatMap { framework in
                row.info.frameworks[framework]!.map { "\(framework):\($0)" }
            }.joined(separator: "; "))
        }, uniquingKeysWith: { first, _ in first })
        func controls(_ f: Finding) -> String { mapped[f.policyId] ?? "" }
        var text = ""
        // Row by row, handed on a chunk at a time: the rows of every finding at once would be
        // several times the file's size.
        func add(_ row: [String]) {
            text += row.map(Escape.csvField).joined(separator: ",") + "\r\n"
            stream.writeIfFull(&text)
        }
        add(header)
        for f in digest.findings {
            add(row(f, status: "open", reason: "", expires: "") + [digest.baselineState(f) ?? "", controls(f)])
        }
        for w in digest.waived {
            add(row(w.finding, status: "waived", reason: w.reason, expires: w.expires.map(Timestamp.iso) ?? "")
                + ["", controls(w.finding)])
        }
        for f in digest.report.baseline?.resolved ?? [] {
            add(row(f, status: "resolved", reason: "", expires: "") + ["resolved", controls(f)])
        }
        for (i, w) in digest.report.expiringWaivers.enumerated() {
            add(["warning", "", w.policyId, "", "", "", "", "", "", "", digest.warnings[i], "", w.reason,
                 w.expires.map(Timestamp.iso) ?? "", "", "", ""])
        }
        stream.write(text)
    }

    private static func row(_ f: Finding, status: String, reason: String, expires: String) -> [String] {
        let evidence = f.evidence.keys.sorted().map { "\($0)=\(f.evidence[$0]!)" }.joined(separator: "; ")
        return [status, f.severity.rawValue, f.policyId, f.check, f.accountId, f.accountName ?? "", f.region,
                f.resourceType, f.resourceId, f.resourceName ?? "", f.message, evidence, reason, expires, f.fingerprint]
    }
}
