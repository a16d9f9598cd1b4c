import Foundation

/// A self-signed certificate for 127.0.0.1 made with the openssl CLI, for loopback HTTPS
/// servers (`FaultProxy.start(…, tls:)`); `certificate` doubles as the CA bundle that trusts it.
public struct TLSCertificate: Sendable {
    public let certificate: URL
    public let key: URL

    public static func selfSigned(in directory: URL) throws -> TLSCertificate {
        let cert = directory.appendingPathComponent("loopback-cert.pem")
        let key = directory.appendingPathComponent("loopback-key.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                             "-keyout", key.path, "-out", cert.path, "-subj", "/CN=127.0.0.1",
                             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw TestSupportError("openssl req failed (\(openssl.terminationStatus))") }
        return TLSCertificate(certificate: cert, key: key)
    }

    var serverEnvironment: [String: String] { ["AMIGO_TLS_CERT": certificate.path, "AMIGO_TLS_KEY": key.path] }
}
