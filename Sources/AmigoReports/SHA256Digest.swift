import Crypto
import Foundation

/// SHA-256 of UTF-8 text, for the HTML Content-Security-Policy hashes and finding fingerprints.
enum SHA256Digest {
    static func hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func base64(_ text: String) -> String {
        Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }
}
