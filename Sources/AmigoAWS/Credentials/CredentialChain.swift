import Foundation

/// Finds credentials the way the AWS CLI does. A named profile (`--profile`, `AWS_PROFILE`)
/// is used alone; otherwise: environment keys, web identity, the `default` profile, container
/// credentials, EC2 instance metadata. Errors name every source tried, never a secret.
public struct CredentialChain {
    public static func resolve(profile: String?, environment env: [String: String], client: AWSClient,
                               region: String? = nil,
                               metadataTransport: (any Transport)? = nil) async throws(CredentialError) -> any CredentialProvider {
        let config = SharedConfig.load(environment: env)
        let metadata = metadataTransport ?? CurlTransport(maxConcurrent: 2, connectTimeout: 1, timeout: 3)
        let resolver = ProfileResolver(config: config, environment: env, client: client,
                                       region: region ?? env["AWS_REGION"].flatMap { $0.isEmpty ? nil : $0 }
                                           ?? env["AWS_DEFAULT_REGION"].flatMap { $0.isEmpty ? nil : $0 },
                                       metadata: metadata)
        let named = profile ?? env["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        if let named { return try resolver.provider(forProfile: named, visited: []) }

        if let fromEnv = try environmentKeys(env) { return StaticCredentialProvider(fromEnv) }
        if let tokenFile = env["AWS_WEB_IDENTITY_TOKEN_FILE"], !tokenFile.isEmpty {
            guard let role = env["AWS_ROLE_ARN"], !role.isEmpty else {
                throw CredentialError(source: "web identity", reason: "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
            }
            return WebIdentityCredentialProvider(client: client, roleArn: role,
                                                 sessionName: env["AWS_ROLE_SESSION_NAME"] ?? defaultSessionName(client),
                                                 tokenFile: tokenFile, region: resolver.stsRegion(nil))
        }
        if config.profiles["default"] != nil { return try resolver.provider(forProfile: "default", visited: []) }

        var tried = ["environment (AWS_ACCESS_KEY_ID not set)", "web identity (AWS_WEB_IDENTITY_TOKEN_FILE not set)",
                     "shared files (no default profile in \(config.files.joined(separator: ", ")))"]
        if let container = ContainerCredentials.provider(environment: env, transport: metadata) {
            do { _ = try await container.credentials(); return container }
            catch { tried.append(describe(error)) }
        } else {
            tried.append("container credentials (AWS_CONTAINER_CREDENTIALS_*_URI not set)")
        }
        if let imds = InstanceMetadataCredentials.provider(environment: env, transport: metadata) {
            do { _ = try await imds.credentials(); return imds }
            catch { tried.append(describe(error)) }
        } else {
            tried.append("EC2 instance metadata (AWS_EC2_METADATA_DISABLED=true)")
        }
        throw CredentialError(source: "credential chain", reason: "no credentials found; tried " + tried.joined(separator: "; "))
    }

    static func environmentKeys(_ env: [String: String]) throws(CredentialError) -> Credentials? {
        let id = env["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = env["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (id, secret) {
        case (nil, nil): return nil
        case (.some(let id), .some(let secret)):
            return Credentials(accessKeyId: id, secretAccessKey: secret,
                               sessionToken: env["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        case (.some, nil):
            throw CredentialError(source: "environment", reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        case (nil, .some):
            throw CredentialError(source: "environment", reason: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        }
    }

    static func defaultSessionName(_ client: AWSClient) -> String {
        "amigo-\(Int(client.now().timeIntervalSince1970))"
    }

    static func describe(_ error: any Error) -> String {
        (error as? CredentialError)?.description ?? (error as? AWSError)?.description ?? "failed"
    }
}
