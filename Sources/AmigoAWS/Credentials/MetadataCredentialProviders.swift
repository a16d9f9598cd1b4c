import Foundation

/// ECS/EKS container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
/// 169.254.170.2) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the authorization token from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` or the file `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`.
enum ContainerCredentials {
    static func provider(environment env: [String: String], transport: any Transport) -> RefreshingCredentialProvider? {
        let url: URL?
        if let relative = env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            url = URL(string: "http://169.254.170.2" + relative)
        } else if let full = env["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            url = URL(string: full)
        } else {
            return nil
        }
        let tokenFile = env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let token = env["AWS_CONTAINER_AUTHORIZATION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return RefreshingCredentialProvider {
            let source = "container credentials"
            guard let url else { throw CredentialError(source: source, reason: "the credentials URI is not a URL") }
            var headers: [String: String] = [:]
            if let tokenFile {
                guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                    throw CredentialError(source: source, reason: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(tokenFile)")
                }
                headers["Authorization"] = text.trimmingCharacters(in: .whitespacesAndNewlines)
            } else if let token {
                headers["Authorization"] = token
            }
            let response = try await MetadataHTTP.send(HTTPRequest(method: "GET", url: url, headers: headers),
                                                       transport: transport, source: source)
            return try MetadataHTTP.credentials(from: response.body, source: source)
        }
    }
}

/// EC2 instance metadata (IMDSv2: a session token first, then the role and its credentials).
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it (tests); `AWS_EC2_METADATA_DISABLED=true`
/// turns it off.
enum InstanceMetadataCredentials {
    static func provider(environment env: [String: String], transport: any Transport) -> RefreshingCredentialProvider? {
        if env["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        var base = env["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://169.254.169.254"
        while base.hasSuffix("/") { base.removeLast() }
        let root = base
        return RefreshingCredentialProvider {
            let source = "EC2 instance metadata"
            guard let tokenURL = URL(string: root + "/latest/api/token"),
                  let listURL = URL(string: root + "/latest/meta-data/iam/security-credentials/") else {
                throw CredentialError(source: source, reason: "AWS_EC2_METADATA_SERVICE_ENDPOINT is not a URL")
            }
            var headers: [String: String] = [:]
            let tokenResponse = try await MetadataHTTP.send(
                HTTPRequest(method: "PUT", url: tokenURL, headers: ["X-aws-ec2-metadata-token-ttl-seconds": "21600"]),
                transport: transport, source: source, acceptingFailures: true)
            if tokenResponse.status == 200 {
                headers["X-aws-ec2-metadata-token"] = String(decoding: tokenResponse.body, as: UTF8.self)
            } else if ![403, 404, 405].contains(tokenResponse.status) {
                throw CredentialError(source: source, reason: "token request answered HTTP \(tokenResponse.status)")
            }
            let list = try await MetadataHTTP.send(HTTPRequest(method: "GET", url: listURL, headers: headers),
                                                   transport: transport, source: source)
            guard let role = String(decoding: list.body, as: UTF8.self).split(whereSeparator: \.isNewline).first,
                  let roleURL = URL(string: listURL.absoluteString + role) else {
                throw CredentialError(source: source, reason: "the instance has no IAM role attached")
            }
            let response = try await MetadataHTTP.send(HTTPRequest(method: "GET", url: roleURL, headers: headers),
                                                       transport: transport, source: source)
            return try MetadataHTTP.credentials(from: response.body, source: source)
        }
    }
}

enum MetadataHTTP {
    static func send(_ request: HTTPRequest, transport: any Transport, source: String,
                     acceptingFailures: Bool = false) async throws(CredentialError) -> HTTPResponse {
        let response: HTTPResponse
        do { response = try await transport.send(request) }
        catch let error as TransportError {
            throw CredentialError(source: source, reason: "\(error.kind.rawValue) error reaching \(error.url)")
        } catch {
            throw CredentialError(source: source, reason: "request to \(request.url.absoluteString) failed")
        }
        guard acceptingFailures || response.status == 200 else {
            throw CredentialError(source: source, reason: "\(request.url.path) answered HTTP \(response.status)")
        }
        return response
    }

    /// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}` (IMDS adds `"Code": "Success"`).
    static func credentials(from body: Data, source: String) throws(CredentialError) -> Credentials {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw CredentialError(source: source, reason: "response is not a JSON object")
        }
        if let code = object["Code"] as? String, code != "Success" {
            throw CredentialError(source: source, reason: "metadata service reported \(code)")
        }
        guard let id = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String else {
            throw CredentialError(source: source, reason: "response lacks AccessKeyId or SecretAccessKey")
        }
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: object["Token"] as? String,
                           expiration: (object["Expiration"] as? String).flatMap(AWSTimestamp.parse))
    }
}
