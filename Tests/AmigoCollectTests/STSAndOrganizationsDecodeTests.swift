import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation
import Testing

@Suite struct STSAndOrganizationsDecodeTests {
    @Test func assumeRoleFromMoto() async throws {
        let body = try String(contentsOf: Wire.moto.appendingPathComponent("AssumeRole.xml"), encoding: .utf8)
        let c = try await assumedCredentials(body)
        #expect(c.accessKeyId.hasPrefix("ASIA") && !c.secretAccessKey.isEmpty && c.sessionToken != nil)
        #expect(c.expiration != nil, "moto's six fractional digits parse")
    }

    @Test func assumeRoleWithWebIdentity() async throws {
        let body = """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <SubjectFromWebIdentityToken>repo:org/amigo</SubjectFromWebIdentityToken>
            <Credentials><AccessKeyId>ASIAWEBIDENTITY00001</AccessKeyId><SecretAccessKey>s3cr3t</SecretAccessKey>
              <SessionToken>tok</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
          </AssumeRoleWithWebIdentityResult>
          <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
        </AssumeRoleWithWebIdentityResponse>
        """
        let token = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-token-\(UUID().uuidString)")
        try "web-identity-token".write(to: token, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: token) }
        let client = AWSClient(transport: StandIn { _ in StandIn.xml(body) }, retry: RetryPolicy(maxAttempts: 1))
        let c = try await WebIdentityCredentialProvider(client: client, roleArn: "arn:aws:iam::111111111111:role/ci",
                                                        sessionName: "amigo", tokenFile: token.path, region: "us-east-1").credentials()
        #expect(c == Credentials(accessKeyId: "ASIAWEBIDENTITY00001", secretAccessKey: "s3cr3t",
                                 sessionToken: "tok", expiration: Wire.date("2099-01-01T00:00:00Z")))
    }

    @Test func credentialsWithoutSecretIsAnError() async throws {
        let body = "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId><SessionToken>t&lt;</SessionToken></Credentials></AssumeRoleResult></AssumeRoleResponse>"
        let error = await #expect(throws: CredentialError.self) { try await assumedCredentials(body) }
        #expect(error?.description.contains("no Credentials") == true)
        #expect(!(error?.description.contains("t<") ?? true))
    }

    @Test func callerIdentity() throws {
        let id = try STSDecode.callerIdentity(try Wire.file(Wire.moto.appendingPathComponent("GetCallerIdentity.xml")))
        #expect(id.account == "123456789012" && id.arn == "arn:aws:sts::123456789012:user/moto")
        #expect(throws: DecodeError.self) { try STSDecode.callerIdentity(try Wire.xml("<GetCallerIdentityResponse/>")) }
    }

    @Test func listAccountsFromMotoWithNullToken() throws {
        let data = try Data(contentsOf: Wire.moto.appendingPathComponent("ListAccounts.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let (accounts, token) = try OrganizationsDecode.accounts(object)
        #expect(token == nil)
        #expect(accounts.map(\.name) == ["master", "workloads-dev"])
        #expect(accounts.allSatisfy { $0.status == "ACTIVE" && $0.email != nil })
    }

    @Test func accountStatePreferredOverStatus() throws {
        let object = try Wire.json("""
        {"Accounts":[{"Id":"444444444444","Status":"ACTIVE","State":"SUSPENDED"},{"Id":"555555555555","Status":"SUSPENDED"}],"NextToken":"n2"}
        """)
        let (accounts, token) = try OrganizationsDecode.accounts(object)
        #expect(accounts.map(\.status) == ["SUSPENDED", "SUSPENDED"] && token == "n2")
    }

    /// JSON can carry U+0000 where EC2's XML cannot, and the catalogue reads text only up to a
    /// NUL (GRDB's `String(cString:)`): "prod\0-evil" would come back as "prod". A NUL is kept
    /// visible as U+FFFD instead, so no report shows a name AWS did not send.
    @Test func aNULInAJSONStringIsKeptVisibleNotCut() throws {
        let object = try Wire.json(#"{"Accounts":[{"Id":"444444444444","Name":"prod\u0000-evil","Email":"a\u0000@b"}]}"#)
        let (accounts, _) = try OrganizationsDecode.accounts(object)
        #expect(accounts.map(\.name) == ["prod\u{FFFD}-evil"])
        #expect(accounts.map(\.email) == ["a\u{FFFD}@b"])
        #expect(!accounts.contains { ($0.name ?? "").contains("\u{0}") })
    }

    @Test func accountsMissingRequired() throws {
        #expect(throws: DecodeError.self) { try OrganizationsDecode.accounts(try Wire.json("{}")) }
        let error = #expect(throws: DecodeError.self) {
            try OrganizationsDecode.accounts(try Wire.json("{\"Accounts\":[{\"Name\":\"x\"}]}"))
        }
        #expect(error?.description == "ListAccounts: account item 1 has no Id")
    }

    @Test func organization() throws {
        let data = try Data(contentsOf: Wire.moto.appendingPathComponent("DescribeOrganization.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let org = try OrganizationsDecode.organization(object)
        #expect(org.id.hasPrefix("o-") && org.arn.hasSuffix(org.id) && org.managementAccountId == "123456789012")
        let error = #expect(throws: DecodeError.self) {
            try OrganizationsDecode.organization(try Wire.json("{\"Organization\":{\"Id\":\"o-1\",\"Arn\":\"a\"}}"))
        }
        #expect(error?.description == "DescribeOrganization: Organization has no MasterAccountId")
    }
}
