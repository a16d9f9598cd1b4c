import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Python helper (test server, proxy, moto) run as a child process. Each script watches its
/// parent and exits when it goes away, so a crashed or finished test run leaves nothing behind.
final class PythonProcess: @unchecked Sendable {
    let process = Process()
    private let stdout = Pipe()
    let stderrFile: URL

    /// Runs `script` with `python3 -c`; the parent-watch preamble is prepended.
    init(script: String, arguments: [String], environment extra: [String: String] = [:]) throws {
        let preamble = """
        import os as _os, threading as _th, time as _t
        _ppid = _os.getppid()
        def _watch():
            while _os.getppid() == _ppid: _t.sleep(0.3)
            _os._exit(0)
        _th.Thread(target=_watch, daemon=True).start()

        """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", preamble + script] + arguments
        var env = ProcessInfo.processInfo.environment
        env["PYTHONUNBUFFERED"] = "1"
        for (k, v) in extra { env[k] = v }
        process.environment = env
        stderrFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("amigo-py-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    /// The first line the script prints (its readiness signal), or nil if it exited first.
    func readLine() -> String? {
        var bytes: [UInt8] = []
        let fd = stdout.fileHandleForReading.fileDescriptor
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }

    var stderrText: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    func stop() {
        // Not waitUntilExit: on Linux it spins a run loop and can hang off the main thread.
        // Python dies on SIGTERM at once; Foundation reaps it.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: stderrFile)
    }

    deinit { stop() }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A TCP port nobody listens on right now (the kernel's choice for an ephemeral bind).
public func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// True once something accepts TCP connections on the loopback port.
func isListening(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

extension PythonProcess {
    /// The tail every loopback server script ends with: a threading HTTP/1.1 server on a free
    /// port, which prints that port as its readiness line; HTTPS when started with a
    /// `TLSCertificate`'s environment. `Handler` must be defined above it.
    static let serveOnFreePort = """

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

    server = Server(("127.0.0.1", 0), Handler)
    if _os.environ.get("AMIGO_TLS_CERT"):  # TLSCertificate.serverEnvironment
        import ssl
        _tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        _tls.load_cert_chain(_os.environ["AMIGO_TLS_CERT"], _os.environ["AMIGO_TLS_KEY"])
        server.socket = _tls.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """
}
