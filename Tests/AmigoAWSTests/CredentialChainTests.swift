import AmigoAWS
import AmigoTestSupport
import Foundation
import Testing

/// Temp HOME with ~/.aws files; every test gets its own.
struct AWSHome {
    let dir: URL
    init(credentials: String = "", config: String = "") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        try credentials.write(to: dir.appendingPathComponent(".aws/credentials"), atomically: true, encoding: .utf8)
        try config.write(to: dir.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8)
    }
    func env(_ extra: [String: String] = [:]) -> [String: String] {
        ["HOME": dir.path, "AWS_EC2_METADATA_DISABLED": "true", "PATH": "/usr/bin:/bin"].merging(extra) { _, new in new }
    }
}

let offline = AWSClient(transport: CurlTransport(connectTimeout: 0.5, timeout: 1))

struct CredentialChainTests {
    @Test func environmentKeysWinWithoutAProfile() async throws {
        let home = try AWSHome(credentials: "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n")
        let p = try await CredentialChain.resolve(profile: nil, environment: home.env(
            ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "secret-env", "AWS_SESSION_TOKEN": "tok"]), client: offline)
        let c = try await p.credentials()
        #expect(c == Credentials(accessKeyId: "AKIDENV", secretAccessKey: "secret-env", sessionToken: "tok"))
    }

    @Test func aChosenProfileIgnoresEnvironmentKeys() async throws {
        let home = try AWSHome(credentials: "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s-dev\n")
        let env = home.env(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "x"])
        let flag = try await CredentialChain.resolve(profile: "dev", environment: env, client: offline).credentials()
        #expect(flag.accessKeyId == "AKIDDEV")
        let viaEnv = try await CredentialChain.resolve(profile: nil, environment: env.merging(["AWS_PROFILE": "dev"]) { $1 },
                                                       client: offline).credentials()
        #expect(viaEnv.accessKeyId == "AKIDDEV")
    }

    @Test func configProfilesAndCredentialsFileMerge() async throws {
        let home = try AWSHome(credentials: "[ops]\naws_secret_access_key = from-credentials\n",
                               config: "# comment\n[profile ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = from-config\ns3 =\n  max_concurrent_requests = 2\n[sso-session x]\nsso_region = us-east-1\n")
        let c = try await CredentialChain.resolve(profile: "ops", environment: home.env(), client: offline).credentials()
        #expect(c.accessKeyId == "AKIDOPS")
        #expect(c.secretAccessKey == "from-credentials")
    }

    @Test func fileLocationsComeFromTheEnvironment() async throws {
        let home = try AWSHome()
        let file = home.dir.appendingPathComponent("elsewhere")
        try "[default]\naws_access_key_id = AKIDELSE\naws_secret_access_key = s\n".write(to: file, atomically: true, encoding: .utf8)
        let c = try await CredentialChain.resolve(profile: nil, environment: home.env(["AWS_SHARED_CREDENTIALS_FILE": file.path]),
                                                  client: offline).credentials()
        #expect(c.accessKeyId == "AKIDELSE")
    }

    @Test func sourceProfileCyclesAreReported() async throws {
        let home = try AWSHome(config: """
        [profile a]
        role_arn = arn:aws:iam::111111111111:role/a
        source_profile = b
        [profile b]
        role_arn = arn:aws:iam::222222222222:role/b
        source_profile = a
        """)
        let error = await #expect(throws: CredentialError.self) {
            try await CredentialChain.resolve(profile: "a", environment: home.env(), client: offline)
        }
        #expect(error?.reason.contains("a -> b -> a") == true)
    }

    @Test func missingProfileAndHalfKeysNameTheirSource() async throws {
        let home = try AWSHome(credentials: "[half]\naws_access_key_id = AKIDHALF\n")
        let missing = await #expect(throws: CredentialError.self) {
            try await CredentialChain.resolve(profile: "nope", environment: home.env(), client: offline)
        }
        #expect(missing?.source == "profile nope")
        let half = await #expect(throws: CredentialError.self) {
            try await CredentialChain.resolve(profile: "half", environment: home.env(), client: offline)
        }
        #expect(half?.reason.contains("only one of") == true)
        let envHalf = await #expect(throws: CredentialError.self) {
            try await CredentialChain.resolve(profile: nil, environment: home.env(["AWS_SECRET_ACCESS_KEY": "TOPSECRET"]), client: offline)
        }
        #expect(envHalf?.source == "environment")
        #expect(envHalf.map { !"\($0)".contains("TOPSECRET") } == true)
    }

    @Test func nothingFoundListsEverySourceTried() async throws {
        let home = try AWSHome()
        let error = await #expect(throws: CredentialError.self) {
            try await CredentialChain.resolve(profile: nil, environment: home.env(), client: offline)
        }
        let text = error?.description ?? ""
        #expect(text.contains("environment") && text.contains("shared files") && text.contains("instance metadata"))
    }

    @Test func credentialProcessOutputIsParsed() async throws {
        let script = #"printf '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret", "SessionToken": "t", "Expiration": "2099-01-01T00:00:00Z"}'"#
        let home = try AWSHome(config: "[profile proc]\ncredential_process = \(script)\n")
        let c = try await CredentialChain.resolve(profile: "proc", environment: home.env(), client: offline).credentials()
        #expect(c.accessKeyId == "AKIDPROC" && c.sessionToken == "t")
        #expect(c.expiration == Date(timeIntervalSince1970: 4_070_908_800))
    }

    @Test func failingCredentialProcessNeverLeaksItsOutput() async throws {
        let home = try AWSHome(config: """
        [profile bad]
        credential_process = sh -c 'echo SECRETOUT; echo SECRETERR >&2; exit 3'
        [profile garbled]
        credential_process = echo '{"Version": 2, "SecretAccessKey": "SECRETV2"}'
        """)
        for name in ["bad", "garbled"] {
            let provider = try await CredentialChain.resolve(profile: name, environment: home.env(), client: offline)
            let error = await #expect(throws: CredentialError.self) { try await provider.credentials() }
            let text = error.map { "\($0)" } ?? ""
            #expect(text.contains("credential_process of profile \(name)"))
            #expect(!text.contains("SECRET"))
        }
    }

    @Test func credentialsDescriptionNeverShowsSecrets() {
        let c = Credentials(accessKeyId: "AKID", secretAccessKey: "SECRETKEY", sessionToken: "SECRETTOKEN")
        #expect(!c.description.contains("SECRET"))
        #expect(!"\([c])".contains("SECRET"))
    }
}
