import AmigoAWS
import Foundation

/// Client CPU per request through `CurlTransport` against a keep-alive server in another
/// process (so its CPU is not counted): `amigo-bench http [REQUESTS]`.
func runHTTPBenchmark(_ arguments: [String]) async throws {
    let requests = arguments.first.flatMap(Int.init) ?? 20_000
    let server = try BenchmarkServer()
    defer { server.stop() }
    let url = URL(string: "http://127.0.0.1:\(server.port)/")!
    let body = Data("Action=DescribeRegions&Version=2016-11-15".utf8)
    print("HTTP benchmark: \(requests) POSTs per run to a local keep-alive server")
    for concurrency in [1, 8] {
        let transport = CurlTransport(maxConcurrent: concurrency)
        let request = HTTPRequest(method: "POST", url: url,
                                  headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"], body: body)
        _ = try await transport.send(request)  // connect outside the measurement
        let (failures, m) = try await Measurement.of {
            try await withThrowingTaskGroup(of: Int.self) { group in
                var failures = 0
                for i in 0..<requests {
                    if i >= concurrency, let status = try await group.next(), status != 200 { failures += 1 }
                    group.addTask { try await transport.send(request).status }
                }
                for try await status in group where status != 200 { failures += 1 }
                return failures
            }
        }
        print(String(format: "  concurrency %d: %.0f requests/s, client CPU %.1f µs/request, %d non-200  (%@)",
                     concurrency, Double(requests) / m.wall, m.cpu / Double(requests) * 1e6, failures, m.line))
    }
}

/// Python's ThreadingHTTPServer speaking HTTP/1.1 with Content-Length, so connections stay open.
private final class BenchmarkServer {
    let process = Process()
    let port: Int

    init() throws {
        let script = """
        import os, sys, threading, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        ppid = os.getppid()
        def watch():
            while os.getppid() == ppid: time.sleep(0.3)
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
        BODY = b'<DescribeRegionsResponse><regionInfo><item><regionName>eu-west-1</regionName></item></regionInfo></DescribeRegionsResponse>'
        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True
            def log_message(self, *a): pass
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(BODY)))
                self.end_headers()
                self.wfile.write(BODY)
        class S(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128
        s = S(("127.0.0.1", 0), H)
        print(s.server_address[1], flush=True)
        s.serve_forever()
        """
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.standardOutput = out
        try process.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "benchmark server did not start"])
        }
        self.port = port
    }

    func stop() { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}
