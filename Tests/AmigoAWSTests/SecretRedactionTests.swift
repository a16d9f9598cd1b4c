@testable import AmigoAWS
import Foundation
import Testing

@Suite struct SecretRedactionTests {
    static func redacted(_ text: String) throws -> String {
        String(decoding: try SecretRedaction.redacting(Data(text.utf8)), as: UTF8.self)
    }

    @Test func stsCredentialsKeepOnlyTheKeyId() throws {
        let body = "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAKEEP</AccessKeyId>"
            + "<SecretAccessKey>s3cr3t/+=</SecretAccessKey><SessionToken xmlns=\"x\"><![CDATA[t0ken]]></SessionToken>"
            + "</Credentials></AssumeRoleResult></AssumeRoleResponse>"
        let out = try Self.redacted(body)
        #expect(out.contains("<AccessKeyId>ASIAKEEP</AccessKeyId>"))
        #expect(!out.contains("s3cr3t") && !out.contains("t0ken"), "\(out)")
    }

    @Test func containerAndSSOCredentialsAreRedacted() throws {
        let container = #"{"AccessKeyId":"ASIAKEEP","SecretAccessKey":"s3cr3t","Token":"t0ken","Expiration":"2030-01-01T00:00:00Z"}"#
        let sso = #"{"roleCredentials":{"accessKeyId":"ASIAKEEP","secretAccessKey":"s3cr3t","sessionToken":"t0ken"}}"#
        for body in [container, sso] {
            let out = try Self.redacted(body)
            #expect(out.contains("ASIAKEEP") && !out.contains("s3cr3t") && !out.contains("t0ken"), "\(out)")
        }
    }

    @Test func answersWithoutSecretsAreWrittenAsTheyCame() throws {
        let page = "<DescribeImagesResponse><nextToken>abc</nextToken></DescribeImagesResponse>"
        #expect(try Self.redacted(page) == page)
    }

    @Test func aCredentialThatCannotBeRedactedIsRefused() {
        #expect(throws: SecretRedaction.Refused.self) { _ = try Self.redacted(#"{"SecretAccessKey": "s3cr3t", "#) }
        #expect(throws: SecretRedaction.Refused.self) { _ = try Self.redacted("<SecretAccessKey>s3cr3t") }
    }

    @Test func credentialParametersNeverReachAnIndexKey() {
        let request = HTTPRequest(url: URL(string: "https://sts.amazonaws.com/")!,
                                  body: Data("Action=AssumeRoleWithWebIdentity&WebIdentityToken=eyJsecret&RoleArn=r".utf8))
        let key = FixtureKey.key(for: request)
        #expect(!key.contains("eyJsecret") && key.contains("WebIdentityToken=REDACTED"), "\(key)")
    }
}
