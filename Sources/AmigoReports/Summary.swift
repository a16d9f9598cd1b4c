import AmigoCore
import Foundation

/// The few lines `amigo scan` prints to stdout: plain aligned text, no colour, so it reads the
/// same in a terminal, a CI log and a pasted ticket.
public enum Summary {
    public static func render(_ report: Report) -> String {
        render(ReportDigest(report))
    }

    static func render(_ digest: ReportDigest) -> String {
        let report = digest.report
        let scan = report.scan
        var out = "amigo scan \(scan.id.map(String.init) ?? "(unsaved)") [\(oneLine(scan.source))]"
        out += " status: \(scan.status.rawValue), as of \(Timestamp.iso(scan.asOf))\n"
        out += "images evaluated: \(report.images.count)"
        if digest.regionsEvaluated > 0 { out += "  account×regions evaluated: \(digest.regionsEvaluated)" }
        out += "  findings: \(digest.findings.count)"
        out += "  waived: \(digest.waived.count)  scan errors: \(digest.errors.count)\n\n"

        out += table(header: ["severity", "findings"], rightAligned: [1],
                     rows: ReportDigest.severities.map { [$0.rawValue, String(digest.bySeverity[$0] ?? 0)] })
        out += "\n"
        out += table(header: ["policy", "severity", "evaluated", "failed"], rightAligned: [2, 3],
                     rows: digest.policies.map {
                         [oneLine($0.info.id), $0.info.severity.rawValue, String($0.evaluated), String($0.failed)]
                     })
        out += rollups(digest, oneLine: oneLine)
        if digest.isIncomplete {
            out += "\nSCAN INCOMPLETE: \(digest.errors.count) scan error(s), \(digest.regionCount(.failed)) region(s) failed,"
            out += " \(digest.regionCount(.partial)) partial. Unread regions are not compliant.\n"
        }
        for warning in digest.warnings { out += "warning: \(oneLine(warning))\n" }
        if let line = digest.baselineLine {
            out += line + "\n"
            for f in digest.report.baseline?.resolved ?? [] {
                out += "resolved: \(f.severity.rawValue) \(oneLine(f.policyId)) \(oneLine(f.accountId))/\(oneLine(f.region))/\(oneLine(f.resourceId))\n"
            }
        }
        if !digest.skippedRegions.isEmpty {
            out += "skipped regions: \(digest.skippedRegions.count)\n"
        }
        return out
    }

    private static func table(header: [String], rightAligned: Set<Int>, rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - row[column].count)
                return rightAligned.contains(column) ? padding + row[column] : row[column] + padding
            }
            .joined(separator: "  ")
            .trimmingTrailingSpaces()
        }
        .joined(separator: "\n") + "\n"
    }

    /// Terminal output must not carry escape sequences or line breaks from AWS-sourced text.
    private static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? " " : $0 }))
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
