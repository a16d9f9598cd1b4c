import Foundation
import Testing
@testable import AmigoAWS

/// Found by `scripts/fuzz metadata-credentials`: an `Expiration` with a long fraction
/// (`2026-12-01T17:00:00.4444…123Z`) made ICU's date parser, behind ISO8601DateFormatter, divide
/// by zero: SIGFPE, amigo killed by a credential body. STS AssumeRole answers, instance and
/// container metadata and credential_process output all carry that field.
struct CredentialTimestampTests {
    static let longFraction = "2026-12-01T17:00:00." + String(repeating: "4", count: 60) + "123Z"

    @Test func aMetadataBodyWithALongFractionParses() throws {
        let body = #"{"AccessKeyId":"ASIA","SecretAccessKey":"s","Token":"t","Expiration":"\#(Self.longFraction)"}"#
        let credentials = try MetadataHTTP.credentials(from: Data(body.utf8), source: "container credentials")
        let expiration = try #require(credentials.expiration)
        #expect(abs(expiration.timeIntervalSince1970 - 1_796_144_400.444) < 0.001)
    }

    @Test func credentialProcessAndAssumeRoleReadTheSameTimes() throws {
        let output = #"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"s","Expiration":"\#(Self.longFraction)"}"#
        let process = try ProcessCredentials.credentials(fromOutput: Data(output.utf8), source: "credential_process")
        let answer = """
            <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA</AccessKeyId>
            <SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>
            <Expiration>\(Self.longFraction)</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>
            """
        let sts = try STSCredentials.parse(XMLDocument.parse(Data(answer.utf8)), result: "AssumeRoleResult", action: "AssumeRole")
        #expect(process.expiration != nil && process.expiration == sts.expiration)
    }

    @Test(arguments: [
        ("2026-12-01T17:00:00Z", 1_796_144_400.0),            // STS, IMDS, ECS
        ("2026-12-01T17:00:00.123Z", 1_796_144_400.123),
        ("2026-12-01T18:00:00+01:00", 1_796_144_400.0),       // credential_process tools
        ("2026-12-01T17:00:00.123456+00:00", 1_796_144_400.123456),
    ])
    func theFormatsCredentialSourcesWriteStillParse(text: String, seconds: Double) throws {
        let date = try #require(AWSTimestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_01)
    }

    @Test(arguments: ["", "tomorrow", "2026-12-01", "2026-12-01T17:00:00", "2026-13-01T17:00:00Z", "4055-12-01U17:00:00+00:"])
    func whatIsNoTimestampIsNil(text: String) {
        #expect(AWSTimestamp.parse(text) == nil)
    }
}
