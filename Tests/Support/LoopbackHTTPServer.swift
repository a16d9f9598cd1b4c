import AmigoAWS
import Foundation

/// A keep-alive HTTP/1.1 server on 127.0.0.1 (Python's ThreadingHTTPServer in a child
/// process) for transport and credential tests. Built-in paths: `/echo` (the request as
/// JSON), `/xml-echo` (the body inside `<EchoResponse><Body>`), `/slow?ms=N`, `/big?n=BYTES`,
/// `/close` (answers, then closes the connection). Anything else is looked up in `routes`.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public struct Route: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: String
        /// Headers the request must carry (name → value), or the answer is 401.
        public var require: [String: String]
        public init(status: Int = 200, headers: [String: String] = [:], body: String = "",
                    require: [String: String] = [:]) {
            self.status = status; self.headers = headers; self.body = body; self.require = require
        }
    }

    public struct Log: Sendable, Decodable {
        public struct Request: Sendable, Decodable {
            public var method: String
            public var path: String
            public var headers: [String: String]
            public var body: String
        }
        /// Connections that carried at least one request (log fetches excluded).
        public var connections: Int
        public var requests: [Request]
    }

    private let process: PythonProcess
    public let port: Int
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// `routes` keys are `"METHOD /path"`.
    public static func start(routes: [String: Route] = [:]) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer(routes: routes)
    }

    private init(routes: [String: Route]) throws {
        var table: [String: Any] = [:]
        for (key, r) in routes {
            table[key] = ["status": r.status, "headers": r.headers, "body": r.body, "require": r.require]
        }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: table), as: UTF8.self)
        process = try PythonProcess(script: Self.script, arguments: [json])
        guard let line = process.readLine(), let port = Int(line) else {
            let why = process.stderrText
            process.stop()
            throw TestSupportError("loopback server did not start: \(why)")
        }
        self.port = port
    }

    /// What the server has seen so far, fetched over its own (uncounted) connection.
    public func log() async throws -> Log {
        let transport = CurlTransport(maxConcurrent: 1)
        let response = try await transport.send(HTTPRequest(method: "GET", url: url.appendingPathComponent("__log")))
        return try JSONDecoder().decode(Log.self, from: response.body)
    }

    public func stop() { process.stop() }
    deinit { stop() }

    static let script = #"""
import json, sys, threading, time, html
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
routes = json.loads(sys.argv[1])
lock = threading.Lock()
state = {"connections": 0, "requests": []}

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def log_message(self, *args): pass
    def reply(self, status, headers, body, close=False):
        self.send_response(status)
        for k, v in headers.items(): self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if close: self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD": self.wfile.write(body)
        if close: self.close_connection = True
    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        path, _, query = self.path.partition("?")
        if path == "/__log":
            with lock: data = json.dumps(state).encode()
            return self.reply(200, {"Content-Type": "application/json"}, data)
        headers = {k.lower(): v for k, v in self.headers.items()}
        with lock:
            if not getattr(self, "counted", False):
                self.counted = True
                state["connections"] += 1
            state["requests"].append({"method": self.command, "path": self.path, "headers": headers,
                                      "body": body.decode("utf-8", "replace")})
        params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        if path == "/echo":
            data = json.dumps({"method": self.command, "path": self.path, "headers": headers,
                               "body": body.decode("utf-8", "replace")}).encode()
            return self.reply(200, {"Content-Type": "application/json"}, data)
        if path == "/xml-echo":
            data = ("<EchoResponse><Body>%s</Body></EchoResponse>" % html.escape(body.decode())).encode()
            return self.reply(200, {"Content-Type": "text/xml"}, data)
        if path == "/slow":
            time.sleep(float(params.get("ms", "1000")) / 1000)
            return self.reply(200, {}, b"slow")
        if path == "/big":
            size = int(params.get("n", "0"))
            chunk = bytes(range(256))
            data = (chunk * (size // 256 + 1))[:size]
            return self.reply(200, {"Content-Type": "application/octet-stream"}, data)
        if path == "/close":
            return self.reply(200, {}, b"closing", close=True)
        route = routes.get(self.command + " " + path)
        if route is None:
            return self.reply(404, {}, b"no route")
        for k, v in route["require"].items():
            if headers.get(k.lower()) != v:
                return self.reply(401, {}, b"missing or wrong " + k.encode())
        self.reply(route["status"], route["headers"], route["body"].encode())
    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any
"""# + PythonProcess.serveOnFreePort
}
