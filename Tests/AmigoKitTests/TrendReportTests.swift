import AmigoCatalog
import AmigoCore
import AmigoKit
import Foundation
import Testing

/// `amigo report --trend` over four demo scans at four as-of dates: its numbers are the
/// per-scan counts `amigo scans`, `amigo diff` and each scan's own findings.json give.
@Suite struct TrendReportTests {
    /// Out of order on purpose: a later scan judged at an earlier date resolves age findings.
    static let dates = ["2026-10-01", "2027-03-01", "2026-08-01", "2026-11-01"]

    @Test func fourDemoScansGiveATrendEqualToThePerScanCounts() async throws {
        let dir = try temporaryDirectory("amigo-trend")
        let catalog = dir.appendingPathComponent("amigo.sqlite").path
        for (i, date) in Self.dates.enumerated() {
            let scan = try await amigo(["scan", "--demo", "--as-of", date, "--catalog", catalog, "--format", "json",
                                        "--output", dir.appendingPathComponent("scan-\(i + 1)").path, "--fail-on", "none", "--quiet"])
            #expect(scan.status == 0, "\(scan.stderr)")
            if i == 1 {
                // Another scope in the same catalogue: one region only. Not part of the trend.
                let other = try await amigo(["scan", "--demo", "--regions", "us-east-1", "--as-of", date, "--catalog", catalog,
                                             "--format", "json", "--output", dir.appendingPathComponent("other").path,
                                             "--fail-on", "none", "--quiet"])
                #expect(other.status == 0, "\(other.stderr)")
            }
        }
        let listing = try await amigo(["scans", "--catalog", catalog])
        #expect(listing.status == 0)
        let listed = Self.parse(scans: listing.stdout)
        #expect(listed.count == 5, "\(listing.stdout)")
        let trendScans = [1, 2, 4, 5] as [Int64]

        let out = dir.appendingPathComponent("trend")
        let report = try await amigo(["report", "--trend", "--catalog", catalog, "--format", "json,markdown,html", "--output", out.path])
        #expect(report.status == 0, "\(report.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("trend.json"))) as? [String: Any])
        let points = try #require(document["scans"] as? [[String: Any]])
        #expect(points.map { $0["scan"] as? Int } == trendScans.map { Int($0) })

        let store = try Catalog(path: catalog)
        for (index, point) in points.enumerated() {
            let scan = trendScans[index]
            let entry = try #require(listed[scan])
            #expect(point["evaluation"] as? Int == Int(entry.evaluation))
            #expect(point["findingCount"] as? Int == entry.findings, "scan \(scan)")
            let bySeverity = Dictionary(grouping: try store.findings(evaluation: entry.evaluation), by: \.severity).mapValues(\.count)
            let counts = try #require(point["findings"] as? [String: Int])
            for severity in Severity.allCases { #expect(counts[severity.rawValue] == bySeverity[severity] ?? 0, "scan \(scan) \(severity)") }

            // Compliance from the scan's own findings.json, counted without the trend code.
            let own = try Self.compliance(dir.appendingPathComponent("scan-\(index + 1)/findings.json"))
            #expect((point["images"] as? [String: Int]) == ["evaluated": own.images.0, "compliant": own.images.1], "scan \(scan)")
            #expect((point["accountRegions"] as? [String: Int]) == ["evaluated": own.regions.0, "compliant": own.regions.1], "scan \(scan)")

            if index == 0 {
                #expect(point["new"] is NSNull && point["resolved"] is NSNull)
            } else {
                let diff = try await amigo(["diff", "--catalog", catalog, "--from", "\(trendScans[index - 1])", "--to", "\(scan)"])
                let (new, resolved) = try #require(Self.parse(diff: diff.stdout), "\(diff.stdout)")
                #expect(point["new"] as? Int == new, "scan \(scan)")
                #expect(point["resolved"] as? Int == resolved, "scan \(scan)")
            }
        }
        // The dates differ, so the age checks do: a trend of four equal points would prove little.
        #expect(Set(points.compactMap { $0["findingCount"] as? Int }).count > 1)
        #expect(points.contains { ($0["new"] as? Int ?? 0) > 0 } && points.contains { ($0["resolved"] as? Int ?? 0) > 0 })
        let markdown = try String(contentsOf: out.appendingPathComponent("trend.md"), encoding: .utf8)
        for scan in trendScans { #expect(markdown.contains("| #\(scan) | "), "\(markdown)") }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("trend.html").path))

        let short = try await amigo(["report", "--trend", "--last", "2", "--catalog", catalog, "--format", "json", "--output", "-"])
        let shortPoints = try #require(try JSONSerialization.jsonObject(with: Data(short.stdout.utf8)) as? [String: Any])["scans"] as? [[String: Any]]
        #expect(shortPoints?.map { $0["scan"] as? Int } == [4, 5])
        #expect(shortPoints?.first?["new"] as? Int == points[2]["new"] as? Int)
    }

    @Test func trendRefusesFormatsWithoutATrendForm() async throws {
        let dir = try temporaryDirectory("amigo-trend")
        let catalog = dir.appendingPathComponent("amigo.sqlite").path
        let scan = try await amigo(["scan", "--demo", "--catalog", catalog, "--format", "json", "--output", dir.path, "--fail-on", "none", "--quiet"])
        #expect(scan.status == 0)
        let refused = try await amigo(["report", "--trend", "--catalog", catalog, "--format", "junit", "--output", dir.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--trend writes html, markdown or json"))
        let last = try await amigo(["report", "--last", "3", "--catalog", catalog])
        #expect(last.status != 0)
        #expect(last.stderr.contains("--last goes with --trend"))
    }

    /// `scan N ...` then `  evaluation E ... K findings, W waived`: the latest evaluation per scan.
    static func parse(scans stdout: String) -> [Int64: (evaluation: Int64, findings: Int)] {
        var result: [Int64: (Int64, Int)] = [:]
        var scan: Int64?
        for line in stdout.split(separator: "\n") {
            let words = line.split(separator: " ")
            if line.hasPrefix("scan "), let id = Int64(words[1]) { scan = id }
            if line.hasPrefix("  evaluation "), let scan, let evaluation = Int64(words[1]),
               let index = words.firstIndex(of: "findings,"), let findings = Int(words[index - 1]) {
                result[scan] = (evaluation, findings)
            }
        }
        return result
    }

    /// `scan A (evaluation …) → scan B (evaluation …): X new, Y resolved, Z open`.
    static func parse(diff stdout: String) -> (Int, Int)? {
        guard let first = stdout.split(separator: "\n").first, let colon = first.range(of: "): ", options: .backwards) else { return nil }
        let words = first[colon.upperBound...].split(separator: " ")
        guard words.count >= 4, let new = Int(words[0]), let resolved = Int(words[2]) else { return nil }
        return (new, resolved)
    }

    /// (evaluated, compliant) images and account×regions, from a findings.json alone.
    static func compliance(_ file: URL) throws -> (images: (Int, Int), regions: (Int, Int)) {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let summary = try #require(document["summary"] as? [String: Any])
        let images = try #require(summary["imagesEvaluated"] as? Int)
        let findings = try #require(document["findings"] as? [[String: Any]])
        func place(_ f: [String: Any]) -> String { "\(f["accountId"] ?? "")/\(f["region"] ?? "")" }
        let failingImages = Set(findings.filter { ($0["resourceType"] as? String) == "image" }.map { "\(place($0))/\($0["resourceId"] ?? "")" })
        let coverage = try #require(document["coverage"] as? [[String: Any]]).filter { ($0["status"] as? String) != "skipped" }
        let dirty = Set(findings.map(place))
        let clean = coverage.filter { ($0["status"] as? String) == "scanned" && !dirty.contains(place($0)) }
        return ((images, images - failingImages.count), (coverage.count, clean.count))
    }
}
