@testable import AmigoAWS
import Crypto
import Foundation
import Testing

@Suite struct SigV4TimestampTests {
    @Test(arguments: ["2024-02-29T23:59:59Z", "2026-01-01T00:00:00Z", "1999-12-31T09:05:07Z", "2099-07-04T12:34:56Z"])
    func amzDateIsTheUTCInstant(_ iso: String) throws {
        let date = try #require(ISO8601DateFormatter().date(from: iso))
        let (amzDate, day) = SigV4.timestamps(date.addingTimeInterval(0.75))
        let digits = iso.filter { $0.isNumber }
        #expect(amzDate == String(digits.prefix(8)) + "T" + String(digits.dropFirst(8)) + "Z")
        #expect(day == String(digits.prefix(8)))
    }

    @Test func signingKeyIsCachedPerScopeAndSecret() {
        let a = SigV4.signingKey(secret: "s1", day: "20260101", region: "eu-west-1", service: "ec2")
        let b = SigV4.signingKey(secret: "s1", day: "20260101", region: "eu-west-1", service: "ec2")
        let c = SigV4.signingKey(secret: "s2", day: "20260101", region: "eu-west-1", service: "ec2")
        let d = SigV4.signingKey(secret: "s1", day: "20260102", region: "eu-west-1", service: "ec2")
        #expect(a.withUnsafeBytes { Data($0) } == b.withUnsafeBytes { Data($0) })
        #expect(a.withUnsafeBytes { Data($0) } != c.withUnsafeBytes { Data($0) })
        #expect(a.withUnsafeBytes { Data($0) } != d.withUnsafeBytes { Data($0) })
    }
}
