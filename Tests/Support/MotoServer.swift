import Foundation

/// moto (`python3 -m moto.server`) on a free loopback port, without its default public AMIs.
/// Never sets MOTO_ACCOUNT_ID: that would pin every request, AssumeRole'd or not, to one
/// account. Stopped on `stop()` or deinit, and by itself if the test process dies.
public final class MotoServer: @unchecked Sendable {
    private let process: PythonProcess
    public let port: Int
    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    public static func start(environment extra: [String: String] = [:]) throws -> MotoServer {
        try MotoServer(environment: extra)
    }

    private init(environment extra: [String: String]) throws {
        var env = ["MOTO_EC2_LOAD_DEFAULT_AMIS": "false"]
        env.merge(extra) { _, new in new }
        env["MOTO_ACCOUNT_ID"] = nil
        var lastError = ""
        for _ in 0..<3 {  // another process may grab the free port between probe and bind
            let port = freePort()
            let process = try PythonProcess(script: """
                import os, runpy, sys
                if os.environ.get("AMIGO_MOTO_PRELOAD"):  # fixes of moto's gaps, e.g. scripts/moto/moto_fixes.py
                    runpy.run_path(os.environ["AMIGO_MOTO_PRELOAD"])
                from moto.server import main
                print("starting", flush=True)
                main(sys.argv[1:])
                """, arguments: ["-H", "127.0.0.1", "-p", String(port)], environment: env)
            _ = process.readLine()
            for _ in 0..<300 where process.process.isRunning {
                if isListening(port: port) {
                    self.process = process
                    self.port = port
                    return
                }
                usleep(20_000)
            }
            lastError = process.stderrText
            process.stop()
        }
        throw TestSupportError("moto did not start: \(lastError.suffix(2000))")
    }

    /// The request lines moto has logged so far (`"POST / HTTP/1.1" 200 -`).
    public func requestLog() -> [String] {
        process.stderrText.split(separator: "\n").filter { $0.contains("HTTP/1.1\"") }.map(String.init)
    }

    /// POSTs to one of moto's control endpoints (`/moto-api/…`), e.g. to start its recorder.
    public func post(_ path: String) throws {
        let call = Process()
        call.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        call.arguments = ["python3", "-c", "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b'', method='POST'), timeout=10)",
                          endpoint.absoluteString + path]
        try call.run()
        call.waitUntilExit()
        guard call.terminationStatus == 0 else { throw TestSupportError("POST \(path) to moto failed") }
    }

    /// GETs one of moto's control endpoints (`/moto-api/data.json`: its whole state).
    public func get(_ path: String) throws -> Data {
        let call = Process()
        let out = Pipe()
        call.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        call.arguments = ["python3", "-c", "import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=10).read())",
                          endpoint.absoluteString + path]
        call.standardOutput = out
        try call.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        call.waitUntilExit()
        guard call.terminationStatus == 0 else { throw TestSupportError("GET \(path) from moto failed") }
        return data
    }

    public func stop() { process.stop() }
    deinit { stop() }
}
