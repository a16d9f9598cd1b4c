import Foundation

/// A loopback HTTP proxy in front of `upstream` that, at `rate` with a fixed `seed`, answers
/// in place of upstream with one of `faults`; everything else is forwarded verbatim (method,
/// path, headers including Host and Authorization, body), so SigV4 still verifies.
public final class FaultProxy: @unchecked Sendable {
    public enum Fault: String, Sendable, CaseIterable {
        /// EC2's throttling answer: 503 with `RequestLimitExceeded` XML.
        case throttle
        /// 500 with an HTML body, as a load balancer in trouble sends.
        case html500
        /// The connection is reset before any response.
        case reset
        /// The upstream answer with its body cut in half (Content-Length adjusted).
        case truncate
    }

    private let process: PythonProcess
    public let port: Int
    private let scheme: String
    public var endpoint: URL { URL(string: "\(scheme)://127.0.0.1:\(port)")! }

    /// `denyAssumeRoleInto`: AssumeRole into these accounts answers STS's AccessDenied, as
    /// when a member's role does not trust the scanner (moto itself never refuses).
    /// `tls`: the proxy speaks HTTPS with this certificate (`endpoint` is then https://).
    public static func start(upstream: URL, rate: Double, faults: [Fault] = Fault.allCases,
                             seed: Int = 42, denyAssumeRoleInto: [String] = [],
                             tls: TLSCertificate? = nil) throws -> FaultProxy {
        try FaultProxy(upstream: upstream, rate: rate, faults: faults, seed: seed, deny: denyAssumeRoleInto, tls: tls)
    }

    private init(upstream: URL, rate: Double, faults: [Fault], seed: Int, deny: [String], tls: TLSCertificate?) throws {
        process = try PythonProcess(script: Self.script, arguments: [
            upstream.host ?? "127.0.0.1", String(upstream.port ?? 80), String(rate),
            faults.map(\.rawValue).joined(separator: ","), String(seed), deny.joined(separator: ","),
        ], environment: tls?.serverEnvironment ?? [:])
        scheme = tls == nil ? "http" : "https"
        guard let line = process.readLine(), let port = Int(line) else {
            let why = process.stderrText
            process.stop()
            throw TestSupportError("fault proxy did not start: \(why)")
        }
        self.port = port
    }

    public func stop() { process.stop() }
    deinit { stop() }

    static let script = #"""
import http.client, random, socket, struct, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import urllib.parse
host, port, rate, faults, seed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4].split(","), int(sys.argv[5])
denied = [a for a in sys.argv[6].split(",") if a] if len(sys.argv) > 6 else []
DENIED = (b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
          b'<Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message>'
          b'</Error><RequestId>fault-proxy</RequestId></ErrorResponse>')
rng = random.Random(seed)
lock = threading.Lock()
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection", "te", "upgrade"}
THROTTLE = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code>'
            b'<Message>Request limit exceeded.</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>')

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def log_message(self, *args): pass
    def send(self, status, headers, body):
        self.send_response(status)
        for k, v in headers: self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if denied:
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            if form.get("Action") == ["AssumeRole"] and any(f":{a}:" in form.get("RoleArn", [""])[0] for a in denied):
                return self.send(403, [("Content-Type", "text/xml")], DENIED)
        with lock:
            fault = rng.choice(faults) if rng.random() < rate else None
        if fault == "throttle":
            return self.send(503, [("Content-Type", "text/xml")], THROTTLE)
        if fault == "html500":
            return self.send(500, [("Content-Type", "text/html")], b"<html><body><h1>500 Internal Server Error</h1></body></html>")
        if fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        upstream = http.client.HTTPConnection(host, port, timeout=30)
        upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for k, v in self.headers.items():
            if k.lower() not in HOP: upstream.putheader(k, v)
        upstream.putheader("Content-Length", str(len(body)))
        upstream.endheaders(body)
        response = upstream.getresponse()
        data = response.read()
        headers = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP]
        upstream.close()
        if fault == "truncate":
            data = data[: len(data) // 2]
        self.send(response.status, headers, data)
    do_GET = do_POST = do_PUT = do_DELETE = handle_any
"""# + PythonProcess.serveOnFreePort
}
