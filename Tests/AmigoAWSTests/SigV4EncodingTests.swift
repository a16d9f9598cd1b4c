import Foundation
import Testing
@testable import AmigoAWS

/// The byte-level fast paths of SigV4's hot helpers give exactly what the general ones give:
/// Foundation's percent-encoding with RFC 3986's unreserved set, and whitespace runs collapsed
/// by Unicode's White_Space property (botocore's `' '.join(value.split())` for these values).
struct SigV4EncodingTests {
    static let samples = [
        "", "ami-0abc", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "  ", " ", "DescribeImages",
        "Owner.1=self&x", "tag:Name", "ünïcödé", "emoji 🦀 here", "a\u{00A0}b", "a\u{2003}b", "a\u{0085}b",
        "application/x-www-form-urlencoded; charset=utf-8", "~-._", "100%", "a+b/c?d#e", "\r\n",
        String(repeating: "FwoGZXIvYXdzE", count: 80), "AKIA/20261202/us-east-1/ec2/aws4_request",
    ]
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")

    @Test(arguments: samples) func uriEncodeMatchesFoundation(_ value: String) {
        #expect(SigV4.uriEncode(value) == value.addingPercentEncoding(withAllowedCharacters: Self.unreserved))
    }

    @Test(arguments: samples) func normalizeMatchesCollapsingWhitespace(_ value: String) {
        #expect(SigV4.normalize(value) == value.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }

    @Test func hexIsLowerCaseAndTwoDigitsPerByte() {
        #expect(SigV4.hex([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
    }
}
