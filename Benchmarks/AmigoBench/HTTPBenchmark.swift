import AmigoAWS
import AmigoTestSupport
import Foundation

/// Client CPU per request through `CurlTransport` against a keep-alive server in another
/// process (so its CPU is not counted): `amigo-bench http [REQUESTS]`.
func runHTTPBenchmark(_ arguments: [String]) async throws {
    let requests = arguments.first.flatMap(Int.init) ?? 20_000
    // The tests' loopback server: Python, HTTP/1.1 keep-alive, Nagle off, in another process.
    let body = "<DescribeRegionsResponse><regionInfo><item><regionName>eu-west-1</regionName></item></regionInfo></DescribeRegionsResponse>"
    let server = try LoopbackHTTPServer.start(routes: ["POST /bench": .init(status: 200, headers: ["Content-Type": "text/xml"], body: body)])
    defer { server.stop() }
    let url = server.url.appendingPathComponent("bench")
    let form = Data("Action=DescribeRegions&Version=2016-11-15".utf8)
    print("HTTP benchmark: \(requests) POSTs per run to a local keep-alive server")
    for concurrency in [1, 8] {
        let transport = CurlTransport(maxConcurrent: concurrency)
        let request = HTTPRequest(method: "POST", url: url,
                                  headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"], body: form)
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
