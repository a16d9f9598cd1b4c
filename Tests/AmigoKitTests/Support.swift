import Testing
import AmigoCatalog
import AmigoCore
import AmigoKit
import AmigoTestSupport
import Foundation

/// The repository root, found from this file, so tests read the committed fixtures.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

func temporaryDirectory(_ name: String = "amigo-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A `scan --demo` run into a fresh catalogue and output directory.
func demoScan(policies: [URL] = [repositoryRoot.appendingPathComponent("policies/baseline.yml")],
              failOn: FailThreshold = .any, formats: [ReportFormat] = [.json, .junit, .html],
              collectFull: Bool = false) throws -> (ScanRun, URL) {
    let dir = try temporaryDirectory("amigo-demo")
    let run = ScanRun(policyFiles: policies, catalogPath: dir.appendingPathComponent("amigo.sqlite").path,
                      asOf: nil,
                      source: SourceSettings(fixtures: repositoryRoot.appendingPathComponent("fixtures/demo-org"),
                                             accounts: .organization, collectFull: collectFull),
                      output: OutputSettings(formats: formats, directory: dir.appendingPathComponent("reports"),
                                             failOn: failOn),
                      log: LogSettings(quiet: true))
    return (run, dir)
}

// Private: it blocks its thread until amigo exits, so tests call it only through `amigo(…)`.
/// Runs the built `amigo` binary (built by `swift build --build-tests`) and captures its output.
/// With `killAfter`, a run still going after that many seconds is killed (status SIGKILL), so
/// a hang fails its test instead of stalling the suite.
private func runAmigo(_ arguments: [String], in directory: URL = repositoryRoot,
              environment: [String: String] = [:], killAfter: Double? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = repositoryRoot.appendingPathComponent(".build/debug/amigo")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let exited = ExitFlag()
    if let killAfter {
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + killAfter) {
            exited.lock.withLock { if !exited.value { kill(pid, SIGKILL) } }
        }
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    exited.lock.withLock { exited.value = true }
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

extension Catalog {
    /// The findings of the scan's latest evaluation.
    func latestFindings(scan: Int64) throws -> [Finding] {
        guard let evaluation = try evaluations(scan: scan).last else { return [] }
        return try findings(evaluation: evaluation.id)
    }
}

/// Every finding identity a report directory's JSON, SARIF and CSV carry, per format.
struct ReportIdentities {
    var json: [String] = [], sarif: [String] = [], csv: [String] = []

    init(_ directory: URL) throws {
        let fm = FileManager.default
        let jsonFile = directory.appendingPathComponent("findings.json")
        if fm.fileExists(atPath: jsonFile.path) {
            let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: jsonFile)) as? [String: Any])
            for key in ["findings", "waived"] {
                for f in document[key] as? [[String: Any]] ?? [] { json.append(try #require(f["id"] as? String)) }
            }
        }
        let sarifFile = directory.appendingPathComponent("findings.sarif")
        if fm.fileExists(atPath: sarifFile.path) {
            let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: sarifFile)) as? [String: Any])
            let runs = try #require(document["runs"] as? [[String: Any]])
            for result in runs.first?["results"] as? [[String: Any]] ?? [] {
                let prints = try #require(result["partialFingerprints"] as? [String: String])
                sarif.append(try #require(prints["amigoFinding/v1"]))
            }
        }
        let csvFile = directory.appendingPathComponent("findings.csv")
        if fm.fileExists(atPath: csvFile.path) {
            // The fingerprint is third from last (then `baseline` and `controls`, neither holding a
            // comma), never quoted (hex); rows of open and waived findings only.
            let lines = try String(contentsOf: csvFile, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
            csv = lines.filter { $0.hasPrefix("open,") || $0.hasPrefix("waived,") }
                .compactMap { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast(2).last.map(String.init) }
        }
    }

    var all: [[String]] { [json, sarif, csv].filter { !$0.isEmpty } }
}

private final class ExitFlag: @unchecked Sendable {
    let lock = NSLock()
    var value = false
}

/// Runs the built `amigo` binary off the cooperative pool (see `offPool`), so a test waiting
/// for it does not starve the timers of tests running beside it.
func amigo(_ arguments: [String], in directory: URL = repositoryRoot, environment: [String: String] = [:],
           killAfter: Double? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
    try await offPool { try runAmigo(arguments, in: directory, environment: environment, killAfter: killAfter) }
}
