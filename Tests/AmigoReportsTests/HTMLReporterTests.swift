import AmigoCore
@testable import AmigoReports
import Foundation
import Testing

struct HTMLReporterTests {
    let html = String(decoding: HTMLReporter.render(ReportFixture.report, context: ReportFixture.context), as: UTF8.self)

    @Test func hostileStringsRenderAsText() {
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<b>approved</b>"))
        #expect(html.contains("&lt;b&gt;approved&lt;/b&gt; &amp; signed off"))
        #expect(html.contains("Prod &amp; &quot;Payments&quot;"))
        #expect(!html.contains("\u{1}"))
        #expect(html.contains(ReportFixture.unicode))
    }

    @Test func aPageOfMoreThanTheInlineLimitShowsTheMostSevereAndSaysWhereTheRestAre() {
        let digest = ReportDigest(ReportFixture.report(findings: 300))
        var page = HTMLPage()
        page.findings(digest, inlineLimit: 100)
        let rows = page.text.components(separatedBy: "<tr data-severity=").dropFirst()
        #expect(rows.count == 100)
        #expect(zip(rows, digest.findings).allSatisfy { row, finding in row.contains(Escape.html(finding.resourceId)) })
        #expect(page.text.contains("This page shows the first 100 of \(digest.findings.count) findings, most severe first."))
        #expect(page.text.contains("<span class=\"count\">(\(digest.findings.count))</span>"))
        #expect(!html.contains("findings-capped"), "a report under the limit shows every finding")
    }

    @Test func exactlyOneScriptAndItIsTheConstantOne() {
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(html.contains("<script>\(HTMLAssets.script)</script>"))
    }

    @Test func nothingIsLoadedFromOutside() {
        // A link to a check's documentation loads nothing until the reader follows it.
        let html = self.html.replacingOccurrences(of: #"<a href="https://[^"<>]*" rel="noreferrer">"#, with: "",
                                                  options: .regularExpression)
        #expect(!html.contains("http://"))
        #expect(!html.contains("https://"))
        #expect(!html.contains("//cdn"))
        #expect(!html.contains("@import"))
        #expect(!html.contains("url("))
        #expect(!html.contains(" src="))
    }

    @Test func noEventHandlerAttributes() throws {
        let handler = try Regex(#"<[^>]*\son[a-z]+\s*="#).ignoresCase()
        #expect(html.firstMatch(of: handler) == nil)
    }

    @Test func contentSecurityPolicyAllowsOnlyTheInlineAssetsByHash() throws {
        let csp = HTMLAssets.contentSecurityPolicy
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"\(csp)\">"))
        #expect(csp.hasPrefix("default-src 'none';"))
        #expect(!csp.contains("unsafe-inline"))
        #expect(csp.contains("script-src 'sha256-\(SHA256Digest.base64(HTMLAssets.script))'"))
        #expect(csp.contains("style-src 'sha256-\(SHA256Digest.base64(HTMLAssets.style))'"))
        #expect(html.contains("<style>\(HTMLAssets.style)</style>"))
        // A CSP hash covers an element only if nothing, not even a style attribute, sits outside it.
        #expect(!html.contains(" style=\""))
    }

    @Test func everyFindingIsRenderedServerSide() {
        let rows = html.components(separatedBy: "<tr data-severity=").count - 1
        #expect(rows == ReportFixture.report.findings.count)
        #expect(html.contains("id=\"findings-controls\" hidden"))
        // Author CSS (`.controls { display: flex }`) would otherwise override the hidden attribute,
        // showing dead controls with JavaScript off and keeping filtered-out rows visible.
        #expect(HTMLAssets.style.contains("[hidden] { display: none !important; }"))
    }

    @Test func unreadableRegionsAreCalledOutNotCompliant() {
        #expect(html.contains("class=\"banner bad\""))
        #expect(html.contains("Scan incomplete"))
        #expect(html.contains("id=\"scan-errors\""))
        #expect(html.contains("eu-central-1"))
        #expect(html.contains("not read"))
        #expect(html.contains("UnauthorizedOperation"))
        #expect(html.contains("me-south-1"))
        #expect(html.contains("not opted in"))
    }

    @Test func cleanScanSaysSoAndHasNoErrorSection() {
        let clean = String(decoding: HTMLReporter.render(ReportFixture.cleanReport, context: ReportFixture.context),
                           as: UTF8.self)
        #expect(clean.contains("class=\"banner good\""))
        #expect(!clean.contains("id=\"scan-errors\""))
        #expect(clean.contains("No findings."))
    }
}

struct SHA256DigestTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, expected: String) {
        #expect(SHA256Digest.hex(input) == expected)
    }

    @Test func base64OfKnownDigest() {
        #expect(SHA256Digest.base64("abc") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    }

    @Test func multiBlockInput() {
        // 1,000,000 × "a" is FIPS 180-2's long-message vector: it crosses many 64-byte blocks.
        #expect(SHA256Digest.hex(String(repeating: "a", count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
