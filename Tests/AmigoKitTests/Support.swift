import AmigoKit
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
              failOn: FailThreshold = .any, formats: [String] = ["json", "junit", "html"],
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

/// Runs the built `amigo` binary (built by `swift build --build-tests`) and captures its output.
func runAmigo(_ arguments: [String], in directory: URL = repositoryRoot,
              environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = repositoryRoot.appendingPathComponent(".build/debug/amigo")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}
