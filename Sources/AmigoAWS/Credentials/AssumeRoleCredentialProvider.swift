import Foundation

/// Credentials of an IAM role, from STS AssumeRole signed with `source`'s credentials,
/// refreshed before they expire. Failures are the `AWSError` STS answered.
public actor AssumeRoleCredentialProvider: CredentialProvider {
    public static let action = AWSAction(.sts, "AssumeRole")!
    public nonisolated let roleArn: String
    private let cache: RefreshingCredentialProvider

    public init(client: AWSClient, roleArn: String, sessionName: String, externalId: String?,
                durationSeconds: Int?, source: any CredentialProvider, region: String) {
        self.roleArn = roleArn
        var parameters = [("RoleArn", roleArn), ("RoleSessionName", sessionName)]
        if let externalId { parameters.append(("ExternalId", externalId)) }
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        let frozen = parameters
        cache = RefreshingCredentialProvider(now: client.now) {
            let root = try await client.query(Self.action, region: region, parameters: frozen, credentials: source)
            return try STSCredentials.parse(root, result: "AssumeRoleResult", action: "AssumeRole")
        }
    }

    public func credentials() async throws -> Credentials { try await cache.credentials() }
}

/// Credentials from STS AssumeRoleWithWebIdentity (EKS IRSA, GitHub OIDC): the request is
/// unsigned; the token file is read anew on every refresh, as its issuer rotates it.
public actor WebIdentityCredentialProvider: CredentialProvider {
    public static let action = AWSAction(.sts, "AssumeRoleWithWebIdentity")!
    private let cache: RefreshingCredentialProvider

    public init(client: AWSClient, roleArn: String, sessionName: String, tokenFile: String, region: String) {
        cache = RefreshingCredentialProvider(now: client.now) {
            let token: String
            do { token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
            catch { throw CredentialError(source: "web identity", reason: "cannot read token file \(tokenFile)") }
            let root = try await client.query(Self.action, region: region,
                                              parameters: [("RoleArn", roleArn), ("RoleSessionName", sessionName),
                                                           ("WebIdentityToken", token)],
                                              credentials: AnonymousCredentialProvider())
            return try STSCredentials.parse(root, result: "AssumeRoleWithWebIdentityResult",
                                            action: "AssumeRoleWithWebIdentity")
        }
    }

    public func credentials() async throws -> Credentials { try await cache.credentials() }
}

/// Marks a request that must go unsigned (AssumeRoleWithWebIdentity authenticates by token).
public struct AnonymousCredentialProvider: CredentialProvider {
    public init() {}
    public func credentials() async throws -> Credentials { Credentials(accessKeyId: "", secretAccessKey: "") }
}

enum STSCredentials {
    static func parse(_ root: XMLNode, result: String, action: String) throws(CredentialError) -> Credentials {
        guard let c = root.at(result, "Credentials"), let id = c.string("AccessKeyId"),
              let secret = c.string("SecretAccessKey") else {
            throw CredentialError(source: "STS \(action)", reason: "response has no Credentials element")
        }
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: c.string("SessionToken"),
                           expiration: c.string("Expiration").flatMap(AWSTimestamp.parse))
    }
}
