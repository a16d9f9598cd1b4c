import Foundation

/// Runs blocking test work (a subprocess, moto's start and seeding) on a thread of its own,
/// so a long end-to-end test does not hold one of the few cooperative threads every other
/// test's timers and tasks need.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Runs `/usr/bin/env arguments…` (so a tool is found on PATH, or `-i` clears the environment)
/// off the cooperative pool and returns its exit status with stdout and stderr together.
public func runEnv(_ arguments: [String], in directory: URL? = nil) async throws -> (status: Int32, output: String) {
    try await offPool { try blockingRunEnv(arguments, in: directory) }
}

// Private so no test can call it from the pool: it blocks its thread until the tool exits.
private func blockingRunEnv(_ arguments: [String], in directory: URL?) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}
