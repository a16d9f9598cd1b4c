import Foundation

/// A loopback TCP server that accepts every connection, reads what it is sent and never
/// answers: the endpoint that hangs a client without timeouts (a black-holed region).
public final class SilentServer: @unchecked Sendable {
    private let process: PythonProcess
    public let port: Int
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    public static func start() throws -> SilentServer { try SilentServer() }

    private init() throws {
        process = try PythonProcess(script: #"""
import socket, threading
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(256)
print(server.getsockname()[1], flush=True)
held = []
def drain(conn):
    try:
        while conn.recv(65536): pass
    except OSError: pass
while True:
    conn, _ = server.accept()
    held.append(conn)
    threading.Thread(target=drain, args=(conn,), daemon=True).start()
"""#, arguments: [])
        guard let line = process.readLine(), let port = Int(line) else {
            let why = process.stderrText
            process.stop()
            throw TestSupportError("silent server did not start: \(why)")
        }
        self.port = port
    }

    public func stop() { process.stop() }
    deinit { stop() }
}
