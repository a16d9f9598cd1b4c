import AmigoTestSupport
import Foundation
import Testing

/// The AWS CLI's profile settings, end to end against a seeded moto organisation: endpoints
/// from the config file (no AWS_ENDPOINT_URL), an IAM Identity Center profile through a
/// loopback stand-in of the portal (moto does not model it), and a CA bundle for a TLS
/// endpoint on loopback.
@Suite(.serialized) struct LiveProfileTests {
    /// An environment with nothing from the AWS CLI's variables but the config files.
    static func environment(config: URL, home: URL, _ extra: [String: String] = [:]) -> [String: String] {
        ["HOME": home.path, "AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
         "AWS_ENDPOINT_URL": "", "AWS_PROFILE": "", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
         "AWS_SESSION_TOKEN": "", "AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_CA_BUNDLE": "",
         "AWS_EC2_METADATA_DISABLED": "true"].merging(extra) { $1 }
    }

    static func scan(_ seeded: SeededOrganization, _ extra: [String], environment: [String: String],
                     accounts: [String] = ["--org"]) async throws
        -> (result: (status: Int32, stdout: String, stderr: String), reports: URL) {
        let dir = try temporaryDirectory("live-profile")
        let result = try await amigo(["scan"] + accounts + ["--regions", seeded.regions.joined(separator: ","),
                                      "--output", dir.path, "--catalog", dir.appendingPathComponent("amigo.sqlite").path,
                                      "--quiet"] + extra, environment: environment)
        return (result, dir)
    }

    static let defaultReports: Set<String> = ["findings.json", "junit.xml", "report.html"]

    static func reportNames(_ dir: URL) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)).intersection(defaultReports)
    }

    @Test func endpointsFromTheProfileAndItsServicesSectionReachMoto() async throws {
        let (moto, seeded) = try await offPool { try MotoOrganization.start(members: 1, regions: ["eu-west-1"], imagesPerRegion: 2) }
        defer { moto.stop() }
        let home = try temporaryDirectory("home")
        let config = home.appendingPathComponent("config")
        try """
        [profile whole]
        aws_access_key_id = testing
        aws_secret_access_key = testing
        region = us-east-1
        endpoint_url = \(moto.endpoint.absoluteString)
        [profile per-service]
        aws_access_key_id = testing
        aws_secret_access_key = testing
        region = us-east-1
        services = emulator
        [services emulator]
        ec2 =
          endpoint_url = \(moto.endpoint.absoluteString)
        sts =
          endpoint_url = \(moto.endpoint.absoluteString)
        organizations =
          endpoint_url = \(moto.endpoint.absoluteString)
        """.write(to: config, atomically: true, encoding: .utf8)
        for profile in ["whole", "per-service"] {
            let (result, dir) = try await Self.scan(seeded, ["--profile", profile],
                                                    environment: Self.environment(config: config, home: home))
            #expect(result.status == 1, "profile \(profile): \(result.stderr)")
            #expect(try Self.reportNames(dir) == Self.defaultReports)
        }
    }

    @Test func anSSOProfileScansWithRoleCredentialsFromThePortal() async throws {
        let (moto, seeded) = try await offPool { try MotoOrganization.start(members: 1, regions: ["eu-west-1"], imagesPerRegion: 2) }
        defer { moto.stop() }
        let portal = try SSOPortalStandIn.start(token: "sso-access-token", expiration: Date().addingTimeInterval(3600))
        defer { portal.stop() }
        let home = try temporaryDirectory("home")
        let config = home.appendingPathComponent("config")
        try """
        [profile auditor]
        sso_session = corp
        sso_account_id = \(seeded.management)
        sso_role_name = Auditor
        region = us-east-1
        endpoint_url = \(moto.endpoint.absoluteString)
        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = us-east-1
        """.write(to: config, atomically: true, encoding: .utf8)
        let env = Self.environment(config: config, home: home, ["AWS_ENDPOINT_URL_SSO": portal.url.absoluteString])

        let before = try await Self.scan(seeded, ["--profile", "auditor"], environment: env)
        #expect(before.result.status == 2)
        #expect(before.result.stderr.contains("run aws sso login --profile auditor"), "\(before.result.stderr)")

        // What `aws sso login` leaves behind: the token under SHA-1("corp").
        let cache = home.appendingPathComponent(".aws/sso/cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try #"{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "sso-access-token", "expiresAt": "2099-01-01T00:00:00Z"}"#
            .write(to: cache.appendingPathComponent("ee0bfd2552fbd840c02cc48b6e823320543c450f.json"), atomically: true, encoding: .utf8)
        let (result, dir) = try await Self.scan(seeded, ["--profile", "auditor"], environment: env)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(try Self.reportNames(dir) == Self.defaultReports)
        let asked = try await portal.requests().map(\.path)
        #expect(asked == ["/federation/credentials?role_name=Auditor&account_id=\(seeded.management)"])
    }

    @Test func aTLSEndpointNeedsItsCABundle() async throws {
        let (moto, seeded) = try await offPool { try MotoOrganization.start(members: 1, regions: ["eu-west-1"], imagesPerRegion: 2) }
        defer { moto.stop() }
        let dir = try temporaryDirectory("tls")
        let certificate = try await offPool { try TLSCertificate.selfSigned(in: dir) }
        let proxy = try FaultProxy.start(upstream: moto.endpoint, rate: 0, tls: certificate)
        defer { proxy.stop() }
        var env = MotoOrganization.environment(proxy.endpoint)
        env["AWS_CA_BUNDLE"] = ""

        // The caller's account only: `--org` against an endpoint that never answers waits on
        // Organizations' pacing without end (reported; not this suite's subject).
        let untrusted = try await Self.scan(seeded, [], environment: env, accounts: [])
        #expect(untrusted.result.status == 3, "\(untrusted.result.stderr)")
        #expect(untrusted.result.stderr.contains("self-signed certificate"), "\(untrusted.result.stderr)")

        let flag = try await Self.scan(seeded, ["--ca-bundle", certificate.certificate.path], environment: env, accounts: [])
        #expect(flag.result.status == 1, "\(flag.result.stderr)")
        env["AWS_CA_BUNDLE"] = certificate.certificate.path
        let variable = try await Self.scan(seeded, [], environment: env, accounts: [])
        #expect(variable.result.status == 1, "\(variable.result.stderr)")
        #expect(try Self.reportNames(variable.reports) == Self.defaultReports)
    }
}
