import Crypto
import Foundation

/// SHA-256 of UTF-8 text, for the HTML Content-Security-Policy hashes and finding fingerprints.
public enum SHA256Digest {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case hex; one fingerprint per finding, so no `String(format:)` per byte.
    public static func hex(_ text: String) -> String {
        let digest = SHA256.hash(data: Data(text.utf8))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func base64(_ text: String) -> String {
        Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }
}
