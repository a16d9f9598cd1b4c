import AmigoCore
@testable import AmigoReports
import AmigoTestSupport
import Foundation
import Testing

/// Issue 11: SARIF against the SARIF 2.1.0 schema (vendored in fixtures/schemas/), ASFF
/// against botocore's securityhub `BatchImportFindings` input shape, OCSF against the class
/// 2003 JSON Schema of `OCSFReporter.version`, all by `scripts/validate-report`, whose Python
/// tools `scripts/install-deps --with-moto` installs, pinned.
@Suite struct FormatSchemaTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Every report shape the reporters have: findings of both kinds, waived, clean, and with
    /// a baseline (resolved findings).
    static var reports: [(name: String, report: Report)] {
        var withBaseline = ReportFixture.report
        let gone = ReportFixture.finding(ReportFixture.maxAge, 0, "Image is 200 days old (max 180)")
        withBaseline.baseline = BaselineComparison(known: [gone.fingerprint], resolved: [gone])
        return [("fixture", ReportFixture.report), ("clean", ReportFixture.cleanReport), ("baseline", withBaseline)]
    }

    static func validate(_ format: String, _ files: [URL]) async throws -> (status: Int32, output: String) {
        try await runEnv(["python3", repository.appendingPathComponent("scripts/validate-report").path, format] + files.map(\.path))
    }

    @Test(arguments: ["sarif", "asff", "ocsf"])
    func everyReportShapeValidatesAgainstItsFormatsSchema(format: String) async throws {
        let reporter = try #require(Reporters.reporter(for: format))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [URL] = []
        for (name, report) in Self.reports {
            let file = dir.appendingPathComponent("\(name)-\(reporter.fileName)")
            try reporter.render(report, context: ReportFixture.context).write(to: file)
            files.append(file)
        }
        let run = try await Self.validate(format, files)
        #expect(run.status == 0, "\(run.output) (tools missing? scripts/install-deps --with-moto)")
        #expect(run.output.components(separatedBy: "valid \(format)").count == files.count + 1, "\(run.output)")
    }

    /// The validator is not a rubber stamp: a broken document fails it.
    @Test(arguments: ["sarif", "asff", "ocsf"])
    func aDocumentBrokenOnPurposeFailsValidation(format: String) async throws {
        let reporter = try #require(Reporters.reporter(for: format))
        var text = String(decoding: reporter.render(ReportFixture.report, context: ReportFixture.context), as: UTF8.self)
        let breakage = ["sarif": ("\"version\": \"2.1.0\"", "\"version\": \"2.2.0\""),
                        "asff": ("\"Label\": \"CRITICAL\"", "\"Label\": \"SEVERE\""),
                        "ocsf": ("\"class_uid\": 2003", "\"class_uid\": 2004")][format]!
        #expect(text.contains(breakage.0))
        text = text.replacingOccurrences(of: breakage.0, with: breakage.1)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-broken-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await Self.validate(format, [file])
        #expect(run.status == 1, "\(run.output)")
    }
}
