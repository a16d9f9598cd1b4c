import AmigoCore
import Foundation

/// `report.html`: one self-contained page for a security reviewer to read and hand over. No
/// external resource of any kind; every row is rendered here, so the page reads fully with
/// JavaScript off. Every data string goes through `Escape.html`; the script only reads the DOM.
public enum HTMLReporter: DigestReporter {
    public static let id = "html"
    public static let fileName = "report.html"

    static func render(_ digest: ReportDigest, context: RenderContext) -> Data {
        let report = digest.report
        let headline = Headline(tally: digest.complianceTally(), evaluation: report.evaluation?.id, trend: context.trend)
        var page = HTMLPage()
        page.head(title: "amigo AMI compliance report", scan: report.scan, context: context)
        page.line("<main>")
        page.banner(digest)
        page.warnings(digest)
        page.headline(headline, digest: digest)
        if let trend = context.trend { page.trend(trend) }
        if !digest.errors.isEmpty || !digest.unreadableRegions.isEmpty { page.scanErrors(digest) }
        page.frameworkRollups(digest)
        page.policies(digest)
        page.remediation(digest)
        page.accounts(digest)
        page.regions(digest)
        page.findings(digest)
        page.workloads(digest)
        page.waived(digest)
        page.skippedRegions(digest)
        page.coverage(digest)
        page.foot(context)
        return Data(page.text.utf8)
    }
}


struct HTMLPage {
    var text = ""

    mutating func line(_ s: String) { text += s + "\n" }

    func h(_ text: String) -> String { Escape.html(text) }

    mutating func foot(_ context: RenderContext) {
        line("<footer>Generated \(h(Timestamp.iso(context.generatedAt))) by amigo \(h(context.toolVersion)).")
        line("Read-only scan: amigo never changes anything in AWS.</footer>")
        line("</main>")
        line("<script>\(HTMLAssets.script)</script>")
        line("</body>")
        line("</html>")
    }

    mutating func head(title: String, scan: ScanInfo, context: RenderContext) {
        var meta: [(String, String)] = [("Scan", scan.id.map { "#\($0)" } ?? "(unsaved)"), ("Source", scan.source),
                                        ("Status", scan.status.rawValue), ("Started", Timestamp.iso(scan.startedAt))]
        if let finished = scan.finishedAt { meta.append(("Finished", Timestamp.iso(finished))) }
        meta += [("As of", Timestamp.iso(scan.asOf)), ("Generated", Timestamp.iso(context.generatedAt)),
                 ("amigo", context.toolVersion)]
        head(title: title, meta: meta, context: context)
    }

    mutating func head(title: String, meta: [(String, String)], context: RenderContext) {
        line("<!DOCTYPE html>")
        line("<html lang=\"en\">")
        line("<head>")
        line("<meta charset=\"utf-8\">")
        line("<meta http-equiv=\"Content-Security-Policy\" content=\"\(HTMLAssets.contentSecurityPolicy)\">")
        line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        line("<meta name=\"referrer\" content=\"no-referrer\">")
        line("<meta name=\"generator\" content=\"amigo \(h(context.toolVersion))\">")
        line("<title>\(h(title))</title>")
        line("<style>\(HTMLAssets.style)</style>")
        line("</head>")
        line("<body>")
        line("<header class=\"top\">")
        line("<h1>\(h(title))</h1>")
        line("<dl>" + meta.map { "<div><dt>\(h($0.0))</dt><dd>\(h($0.1))</dd></div>" }.joined() + "</dl>")
        line("</header>")
    }

    mutating func banner(_ d: ReportDigest) {
        if d.isIncomplete {
            let unread = d.unreadableRegions.count
            line("<div class=\"banner bad\" role=\"alert\"><strong>Scan incomplete (status: \(h(d.report.scan.status.rawValue)))</strong>")
            line("\(d.errors.count) scan error\(d.errors.count == 1 ? "" : "s"); \(unread) account×region could not be fully read."
                 + " What could not be read is <em>not</em> reported as compliant: a region that failed has no evaluated images,"
                 + " and in a partly read region the checks that needed the missing data fail closed. See <a href=\"#scan-errors\">scan errors</a>.</div>")
        } else {
            line("<div class=\"banner good\"><strong>Scan complete</strong>All \(d.regionCount(.scanned)) account×region scanned were read"
                 + (d.skippedRegions.isEmpty ? "." : "; \(d.skippedRegions.count) skipped (listed below).") + "</div>")
        }
    }

    mutating func warnings(_ d: ReportDigest) {
        for warning in d.warnings { line("<div class=\"banner bad\" role=\"status\"><strong>Warning</strong>\(h(warning))</div>") }
        if let baseline = d.baselineLine {
            let resolved = (d.report.baseline?.resolved ?? []).map {
                "<li>\(h($0.severity.rawValue)) \(h($0.policyId)) \(h($0.accountId))/\(h($0.region))/\(h($0.resourceId))</li>"
            }
            line("<div class=\"banner good\" role=\"status\"><strong>Baseline</strong>\(h(baseline))"
                 + (resolved.isEmpty ? "" : "<ul>" + resolved.joined() + "</ul>") + "</div>")
        }
    }

    mutating func scanErrors(_ d: ReportDigest) {
        line("<section id=\"scan-errors\">")
        line("<h2>Scan errors <span class=\"count\">(\(d.errors.count))</span></h2>")
        line("<p class=\"note\">amigo could not read the following. Nothing here is compliant: it is unknown.</p>")
        if !d.unreadableRegions.isEmpty {
            table(["Account", "Region", "Status", "Reason"], rows: d.unreadableRegions.map { region in
                [td(d.accountLabel(region.accountId, name: nil)), td(region.region, "mono"),
                 "<td><span class=\"status status-\(region.status.rawValue)\">\(region.status == .failed ? "not read" : "partly read")</span></td>",
                 td(region.reason ?? "")]
            }, caption: "Regions not fully read")
        }
        if !d.errors.isEmpty {
            table(["Account", "Region", "Operation", "Error code", "Message"], rows: d.errors.map { e in
                [td(d.accountLabel(e.accountId, name: nil)), td(e.region ?? "(account)", "mono"), td(e.operation, "mono"),
                 td(e.code, "mono"), td(e.message, "msg")]
            }, caption: "API calls that failed")
        }
        line("</section>")
    }

    mutating func waived(_ d: ReportDigest) {
        guard !d.waived.isEmpty else { return }
        line("<section id=\"waived\">")
        line("<h2>Waived findings <span class=\"count\">(\(d.waived.count))</span></h2>")
        line("<p class=\"note\">Accepted by a waiver: not counted as findings above, listed so the acceptance stays visible.</p>")
        table(["Severity", "Policy", "Account, region", "Resource", "Message", "Reason", "Expires"], rows: d.waived.map { w in
            Array(findingCells(w.finding, d).prefix(5)) + [td(w.reason, "msg"), td(w.expires.map(Timestamp.day) ?? "never", "mono")]
        })
        line("</section>")
    }

    mutating func skippedRegions(_ d: ReportDigest) {
        guard !d.skippedRegions.isEmpty else { return }
        line("<section id=\"skipped\">")
        line("<h2>Skipped regions <span class=\"count\">(\(d.skippedRegions.count))</span></h2>")
        line("<p class=\"note\">Not scanned on purpose (for example not opted in). Their images were not evaluated.</p>")
        table(["Account", "Region", "Reason"], rows: d.skippedRegions.map {
            [td(d.accountLabel($0.accountId, name: nil)), td($0.region, "mono"), td($0.reason ?? "")]
        })
        line("</section>")
    }

    mutating func coverage(_ d: ReportDigest) {
        line("<section id=\"coverage\">")
        line("<h2>Coverage</h2>")
        let parts = [RegionCoverage.Status.scanned, .partial, .failed, .skipped].map { "\(d.regionCount($0)) \($0.rawValue)" }
        line("<p class=\"note\">\(d.coverage.count) account×region: \(parts.joined(separator: ", ")).</p>")
        line("</section>")
    }

    func findingCells(_ f: Finding, _ d: ReportDigest) -> [String] {
        let evidence = f.evidence.keys.sorted().map { "<dt>\(h($0))</dt><dd>\(wrapping(f.evidence[$0]!))</dd>" }.joined()
        let name = f.resourceName.map { "<div>\(h($0))</div>" } ?? ""
        let accountName = (f.accountName ?? d.accountName(f.accountId)).map { "<div class=\"muted\">\(h($0))</div>" } ?? ""
        // Account and region share a column: the evidence needs the width more than they do.
        return [severityCell(f.severity), td(f.policyId, "mono"),
                "<td><span class=\"mono\">\(h(f.accountId))</span> <span class=\"mono\">\(h(f.region))</span>\(accountName)</td>",
                "<td><span class=\"mono\">\(h(f.resourceId))</span>\(name)</td>", "<td class=\"msg\">\(wrapping(f.message))</td>",
                evidence.isEmpty ? "<td></td>" : "<td><dl class=\"evidence\">\(evidence)</dl></td>"]
    }

    /// Text that wraps between words and after list separators, never inside a word: browsers
    /// would break an id such as `snap-…` after its hyphen, so a word that has such a break
    /// opportunity is kept on one line. An ARN, a path of ids, may break after its `:` and `/`
    /// only, so each id in it stays whole.
    func wrapping(_ text: String) -> String {
        var out = "", word = ""
        func whole(_ piece: Substring) -> String {
            Self.breaksInside(piece) ? "<span class=\"nw\">\(h(String(piece)))</span>" : h(String(piece))
        }
        func flush() {
            guard !word.isEmpty else { return }
            if word.contains("arn:") {
                var pieces: [Substring] = [], start = word.startIndex
                for index in word.indices where word[index] == ":" || word[index] == "/" {
                    let next = word.index(after: index)
                    if next < word.endIndex && word[next] != ":" { pieces.append(word[start..<next]); start = next }
                }
                pieces.append(word[start...])
                out += pieces.map(whole).joined(separator: "<wbr>")
            } else {
                out += whole(word[...])
            }
            word = ""
        }
        for character in text {
            if character.isWhitespace { flush(); out += h(String(character)); continue }
            word.append(character)
            if character == "," || character == ";" { flush(); out += "<wbr>" }
        }
        flush()
        return out
    }

    /// Whether a browser could break this word: after a hyphen (but not inside a number or a
    /// date, `2026-10-01`), a slash, a dash, `|`, `?`, `!` or `+`.
    static func breaksInside(_ word: Substring) -> Bool {
        var previous: Character?
        for (offset, character) in zip(word.indices, word) {
            switch character {
            case "/", "|", "?", "!", "+", "–", "—": return true
            case "-":
                let next = word.index(after: offset)
                let digitAfter = next < word.endIndex && word[next].isASCII && word[next].isNumber
                if !(digitAfter && previous?.isNumber == true) { return true }
            default: break
            }
            previous = character
        }
        return false
    }

    func severityCell(_ s: Severity) -> String {
        let rank = ReportDigest.severities.firstIndex(of: s) ?? 0
        return "<td data-sort=\"\(rank)\"><span class=\"sev sev-\(s.rawValue)\">\(s.rawValue)</span></td>"
    }

    func td(_ text: String, _ cls: String? = nil) -> String {
        "<td\(cls.map { " class=\"\($0)\"" } ?? "")>\(h(text))</td>"
    }

    func num(_ n: Int, alarming: Bool = false) -> String {
        "<td class=\"num\(alarming && n > 0 ? " bad" : "")\">\(n)</td>"
    }

    mutating func table(_ headers: [String], numeric: Set<Int> = [], rows: [[String]], caption: String? = nil) {
        line("<div class=\"scroll\"><table>")
        if let caption { line("<caption>\(h(caption))</caption>") }
        line("<thead><tr>" + headers.enumerated().map { numeric.contains($0.offset) ? "<th class=\"num\">\(h($0.element))</th>" : "<th>\(h($0.element))</th>" }.joined() + "</tr></thead>")
        line("<tbody>")
        for row in rows { line("<tr>" + row.joined() + "</tr>") }
        line("</tbody></table></div>")
    }
}
