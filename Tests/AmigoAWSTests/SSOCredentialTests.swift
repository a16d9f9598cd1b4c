import AmigoAWS
import AmigoTestSupport
import Foundation
import Synchronization
import Testing

/// IAM Identity Center profiles against a loopback stand-in of the portal (moto does not
/// model it). Token file names are botocore's: SHA-1 of the session name or start URL.
struct SSOCredentialTests {
    static let sessionConfig = """
    [profile dev]
    sso_session = corp
    sso_account_id = 111122223333
    sso_role_name = Auditor
    region = eu-west-1
    [sso-session corp]
    sso_start_url = https://corp.awsapps.com/start
    sso_region = eu-west-1
    sso_registration_scopes = sso:account:access
    [profile legacy]
    sso_start_url = https://corp.awsapps.com/start
    sso_region = eu-west-1
    sso_account_id = 111122223333
    sso_role_name = Auditor
    """
    /// sha1("corp") and sha1("https://corp.awsapps.com/start"), computed with Python's hashlib.
    static let sessionFile = "ee0bfd2552fbd840c02cc48b6e823320543c450f.json"
    static let legacyFile = "a51746d4aa793ae07b25e90c3a5db96fc7832bd7.json"

    static func writeToken(_ home: AWSHome, file: String, token: String, expiresAt: String) throws {
        let dir = home.dir.appendingPathComponent(".aws/sso/cache")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try #"{"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": "\#(token)", "expiresAt": "\#(expiresAt)"}"#
            .write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }

    static func client(portal: URL, now: @escaping @Sendable () -> Date = { Date() }) -> AWSClient {
        AWSClient(transport: CurlTransport(timeout: 5), endpoints: Endpoints(serviceOverrides: [.sso: portal]),
                  retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.01), now: now)
    }

    @Test(arguments: [("dev", sessionFile), ("legacy", legacyFile)])
    func rolesComeFromThePortalWithTheCachedToken(profile: String, file: String) async throws {
        let home = try AWSHome(config: Self.sessionConfig)
        try Self.writeToken(home, file: file, token: "tok-\(profile)", expiresAt: "2099-01-01T00:00:00Z")
        let portal = try SSOPortalStandIn.start(token: "tok-\(profile)", expiration: Date(timeIntervalSince1970: 4_070_908_800))
        defer { portal.stop() }
        let provider = try await CredentialChain.resolve(profile: profile, environment: home.env(),
                                                         client: Self.client(portal: portal.url))
        let c = try await provider.credentials()
        #expect(c.accessKeyId == "ASIASSOSTANDIN00000" && c.sessionToken == "sso-stand-in-session")
        #expect(c.expiration == Date(timeIntervalSince1970: 4_070_908_800))
        let request = try #require(try await portal.requests().first)
        #expect(request.method == "GET")
        #expect(request.path == "/federation/credentials?role_name=Auditor&account_id=111122223333")
        #expect(request.headers["authorization"] == nil, "GetRoleCredentials is unsigned")
    }

    @Test func credentialsAreRefreshedBeforeTheyExpire() async throws {
        let start = Date(timeIntervalSince1970: 2_000_000_000)
        let clock = Mutex(start)
        let home = try AWSHome(config: Self.sessionConfig)
        try Self.writeToken(home, file: Self.sessionFile, token: "t", expiresAt: "2099-01-01T00:00:00Z")
        let portal = try SSOPortalStandIn.start(token: "t", expiration: start.addingTimeInterval(3600))
        defer { portal.stop() }
        let provider = try await CredentialChain.resolve(profile: "dev", environment: home.env(),
                                                         client: Self.client(portal: portal.url, now: { clock.withLock { $0 } }))
        _ = try await provider.credentials()
        clock.withLock { $0 = start.addingTimeInterval(3000) }
        _ = try await provider.credentials()
        #expect(try await portal.requests().count == 1, "an hour-long credential is still good after 50 minutes")
        clock.withLock { $0 = start.addingTimeInterval(3400) }
        _ = try await provider.credentials()
        #expect(try await portal.requests().count == 2, "within five minutes of expiry it is fetched again")
    }

    @Test func aMissingOrExpiredTokenSaysToSignIn() async throws {
        let home = try AWSHome(config: Self.sessionConfig)
        let missing = await #expect(throws: CredentialError.self) {
            try await CredentialChain.resolve(profile: "dev", environment: home.env(), client: offline)
        }
        #expect(missing?.reason.contains("run aws sso login --profile dev") == true)
        #expect(missing?.reason.contains(Self.sessionFile) == true)

        try Self.writeToken(home, file: Self.legacyFile, token: "old", expiresAt: "2020-01-01T00:00:00UTC")
        let expired = await #expect(throws: CredentialError.self) {
            try await CredentialChain.resolve(profile: "legacy", environment: home.env(), client: offline)
        }
        #expect(expired?.reason.contains("expired") == true)
        #expect(expired?.reason.contains("run aws sso login --profile legacy") == true)
    }

    @Test func aTokenThePortalRefusesSaysToSignIn() async throws {
        let home = try AWSHome(config: Self.sessionConfig)
        try Self.writeToken(home, file: Self.sessionFile, token: "revoked", expiresAt: "2099-01-01T00:00:00Z")
        let portal = try SSOPortalStandIn.start(token: "current", expiration: Date().addingTimeInterval(3600))
        defer { portal.stop() }
        let provider = try await CredentialChain.resolve(profile: "dev", environment: home.env(),
                                                         client: Self.client(portal: portal.url))
        let error = await #expect(throws: CredentialError.self) { try await provider.credentials() }
        #expect(error?.reason.contains("HTTP 401") == true)
        #expect(error?.reason.contains("run aws sso login --profile dev") == true)
        #expect(error.map { !"\($0)".contains("revoked") } == true, "the token is a secret")
    }

    @Test func incompleteSSOProfilesNameWhatIsMissing() async throws {
        let home = try AWSHome(config: """
        [profile nosession]
        sso_session = gone
        sso_account_id = 1
        sso_role_name = r
        [profile partial]
        sso_start_url = https://corp.awsapps.com/start
        sso_role_name = r
        """)
        let gone = await #expect(throws: CredentialError.self) {
            try await CredentialChain.resolve(profile: "nosession", environment: home.env(), client: offline)
        }
        #expect(gone?.reason.contains("[sso-session gone]") == true)
        let partial = await #expect(throws: CredentialError.self) {
            try await CredentialChain.resolve(profile: "partial", environment: home.env(), client: offline)
        }
        #expect(partial?.reason.contains("sso_region, sso_account_id") == true)
    }
}
