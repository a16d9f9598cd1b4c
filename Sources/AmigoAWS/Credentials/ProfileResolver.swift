import Foundation

/// Turns one shared-config profile into a provider: static keys, `credential_process`, or a
/// role (`role_arn`) assumed from `source_profile`, `credential_source` or a web identity,
/// or IAM Identity Center (`sso_session`, `sso_start_url`).
struct ProfileResolver {
    let config: SharedConfig
    let environment: [String: String]
    let client: AWSClient
    let region: String?
    let metadata: any Transport

    func stsRegion(_ profile: [String: String]?) -> String {
        region ?? profile?["region"] ?? config.profiles["default"]?["region"] ?? "us-east-1"
    }

    func provider(forProfile name: String, visited: [String]) throws(CredentialError) -> any CredentialProvider {
        let source = "profile \(name)"
        guard let p = config.profiles[name] else {
            throw CredentialError(source: source, reason: "not found in \(config.files.joined(separator: " or "))")
        }
        if let roleArn = p["role_arn"] {
            let base = try roleSource(name: name, profile: p, visited: visited)
            if case .webIdentity(let tokenFile) = base {
                return WebIdentityCredentialProvider(client: client, roleArn: roleArn,
                                                     sessionName: p["role_session_name"] ?? CredentialChain.defaultSessionName(client),
                                                     tokenFile: tokenFile, region: stsRegion(p))
            }
            guard case .provider(let sourceProvider) = base else { fatalError("unreachable") }
            var duration: Int?
            if let text = p["duration_seconds"] {
                guard let d = Int(text) else { throw CredentialError(source: source, reason: "duration_seconds is not a number") }
                duration = d
            }
            return AssumeRoleCredentialProvider(client: client, roleArn: roleArn,
                                                sessionName: p["role_session_name"] ?? CredentialChain.defaultSessionName(client),
                                                externalId: p["external_id"], durationSeconds: duration,
                                                source: sourceProvider, region: stsRegion(p))
        }
        if let keys = try staticKeys(p, source: source) { return StaticCredentialProvider(keys) }
        if let command = p["credential_process"] {
            return ProcessCredentials.provider(command: command, profile: name, environment: environment)
        }
        if let sso = try SSOProfile.from(profile: name, values: p, config: config) {
            return try SSOCredentials.provider(sso, client: client, environment: environment)
        }
        throw CredentialError(source: source, reason: "has no credentials (no keys, role_arn, credential_process or sso_session)")
    }

    private enum RoleSource { case provider(any CredentialProvider), webIdentity(String) }

    private func roleSource(name: String, profile p: [String: String], visited: [String]) throws(CredentialError) -> RoleSource {
        let source = "profile \(name)"
        if let sourceProfile = p["source_profile"] {
            // A profile naming itself as its source means "my own keys, then the role".
            if sourceProfile == name {
                guard let keys = try staticKeys(p, source: source) else {
                    throw CredentialError(source: source, reason: "is its own source_profile but has no keys")
                }
                return .provider(StaticCredentialProvider(keys))
            }
            let chain = visited + [name]
            if chain.contains(sourceProfile) {
                throw CredentialError(source: source, reason: "source_profile cycle: \((chain + [sourceProfile]).joined(separator: " -> "))")
            }
            return .provider(try provider(forProfile: sourceProfile, visited: chain))
        }
        if let credentialSource = p["credential_source"] {
            switch credentialSource {
            case "Environment":
                guard let keys = try CredentialChain.environmentKeys(environment) else {
                    throw CredentialError(source: source, reason: "credential_source Environment but AWS_ACCESS_KEY_ID is not set")
                }
                return .provider(StaticCredentialProvider(keys))
            case "Ec2InstanceMetadata":
                guard let imds = InstanceMetadataCredentials.provider(environment: environment, transport: metadata) else {
                    throw CredentialError(source: source, reason: "credential_source Ec2InstanceMetadata but AWS_EC2_METADATA_DISABLED=true")
                }
                return .provider(imds)
            case "EcsContainer":
                guard let container = ContainerCredentials.provider(environment: environment, transport: metadata) else {
                    throw CredentialError(source: source, reason: "credential_source EcsContainer but no AWS_CONTAINER_CREDENTIALS_*_URI")
                }
                return .provider(container)
            default:
                throw CredentialError(source: source, reason: "unknown credential_source \(credentialSource)")
            }
        }
        if let tokenFile = p["web_identity_token_file"] { return .webIdentity(tokenFile) }
        throw CredentialError(source: source, reason: "role_arn needs source_profile, credential_source or web_identity_token_file")
    }

    private func staticKeys(_ p: [String: String], source: String) throws(CredentialError) -> Credentials? {
        switch (p["aws_access_key_id"], p["aws_secret_access_key"]) {
        case (nil, nil): return nil
        case (.some(let id), .some(let secret)):
            return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: p["aws_session_token"])
        default:
            throw CredentialError(source: source, reason: "has only one of aws_access_key_id and aws_secret_access_key")
        }
    }
}
