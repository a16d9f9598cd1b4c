import Crypto
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// AWS Signature Version 4 (header form), as botocore's `SigV4Auth` computes it.
public enum SigV4 {
    public static func sign(_ request: inout HTTPRequest, credentials: Credentials, region: String,
                            service: String, date: Date) {
        let (amzDate, day) = timestamps(date)
        let host = hostHeader(request.url)
        request.headers["Host"] = host
        request.headers["X-Amz-Date"] = amzDate
        if let token = credentials.sessionToken { request.headers["X-Amz-Security-Token"] = token }
        request.headers.removeValue(forKey: "Authorization")

        let payloadHash = hex(SHA256.hash(data: request.body))
        var canonicalHeaders: [(String, String)] = request.headers.compactMap {
            let name = $0.key.lowercased()
            return unsignedHeaders.contains(name) ? nil : (name, normalize($0.value))
        }
        canonicalHeaders.sort { $0.0 < $1.0 }
        let signedHeaders = canonicalHeaders.map(\.0).joined(separator: ";")
        // Built by appending into one buffer: this runs once per request, and joining arrays
        // of strings cost more than the hashing.
        var canonicalRequest = ""
        canonicalRequest.reserveCapacity(512)
        for part in [request.method, canonicalPath(request.url), canonicalQuery(request.url)] {
            canonicalRequest += part
            canonicalRequest += "\n"
        }
        for (name, value) in canonicalHeaders {
            canonicalRequest += name
            canonicalRequest += ":"
            canonicalRequest += value
            canonicalRequest += "\n"
        }
        canonicalRequest += "\n"
        canonicalRequest += signedHeaders
        canonicalRequest += "\n"
        canonicalRequest += payloadHash

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        var stringToSign = "AWS4-HMAC-SHA256\n"
        stringToSign.reserveCapacity(160)
        stringToSign += amzDate
        stringToSign += "\n"
        stringToSign += scope
        stringToSign += "\n"
        stringToSign += hex(SHA256.hash(data: Array(canonicalRequest.utf8)))
        let key = signingKey(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        let signature = hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        request.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    /// The access key id and credential scope of a signed request, for replay and logs.
    public static func credentialScope(of request: HTTPRequest) -> (accessKeyId: String, region: String, service: String)? {
        guard let auth = request.headers["Authorization"],
              let start = auth.range(of: "Credential=") else { return nil }
        let rest = auth[start.upperBound...].prefix { $0 != "," }
        let parts = rest.split(separator: "/")
        guard parts.count == 5 else { return nil }
        return (String(parts[0]), String(parts[2]), String(parts[3]))
    }

    /// The derived key depends only on the secret, day, region and service, and a scan signs
    /// thousands of requests with the same four: derive it once (four HMACs) per combination.
    private static let signingKeys = Mutex<[String: SymmetricKey]>([:])

    static func signingKey(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        let cacheKey = "\(day)/\(region)/\(service)/\(secret)"
        if let key = signingKeys.withLock({ $0[cacheKey] }) { return key }
        var derived = Data("AWS4\(secret)".utf8)
        for part in [day, region, service, "aws4_request"] {
            derived = Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: SymmetricKey(data: derived)))
        }
        let bytes = derived
        signingKeys.withLock { keys in
            if keys.count > 4_096 { keys.removeAll() }  // new days and refreshed secrets: stay bounded
            keys[cacheKey] = SymmetricKey(data: bytes)
        }
        return SymmetricKey(data: bytes)
    }

    /// `X-Amz-Date` and the scope's day, in UTC, without Calendar (hot: once per request).
    static func timestamps(_ date: Date) -> (String, String) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let day = pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2)
        return (day + "T" + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2) + "Z", day)
    }

    static func hostHeader(_ url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        let isDefault = (url.scheme == "https" && port == 443) || (url.scheme == "http" && port == 80)
        return isDefault ? host : "\(host):\(port)"
    }

    /// Runs of whitespace become one space, and none leads or trails. Hot (every header of
    /// every request, a session token is ~1 KB): a value with no ASCII whitespace but single
    /// inner spaces is already normal, which a byte scan decides without Unicode properties.
    static func normalize(_ value: String) -> String {
        var previousSpace = true  // a leading space is not normal
        var normal = true
        for byte in value.utf8 {
            if byte == 0x20 {
                if previousSpace { normal = false; break }
                previousSpace = true
            } else if (0x09...0x0D).contains(byte) || byte >= 0x80 {
                normal = false; break  // other whitespace, or non-ASCII (which may be whitespace)
            } else {
                previousSpace = false
            }
        }
        if normal && !(previousSpace && !value.isEmpty) { return value }
        return value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Headers botocore leaves unsigned: hop-by-hop ones and those proxies or agents rewrite.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    static func canonicalPath(_ url: URL) -> String {
        let path = url.path(percentEncoded: true)
        return path.isEmpty ? "/" : path
    }

    static func canonicalQuery(_ url: URL) -> String {
        guard let query = url.query(percentEncoded: true), !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&").map { item -> (String, String) in
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let k = uriEncode(String(kv[0]).removingPercentEncoding ?? String(kv[0]))
            let v = kv.count > 1 ? uriEncode(String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
            return (k, v)
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// RFC 3986 escaping as SigV4 and the Query protocol's form bodies require: unreserved
    /// bytes kept, every other UTF-8 byte as `%XX` (upper-case hex). On bytes, since it runs
    /// for every parameter of every request (Foundation's CharacterSet path was ~4 % of a scan).
    public static func uriEncode(_ s: String) -> String {
        let utf8 = s.utf8
        guard !utf8.allSatisfy(isUnreserved) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count * 3)
        for byte in utf8 {
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(upperHexDigits[Int(byte >> 4)])
                out.append(upperHexDigits[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)
}
