import Crypto
import Foundation

/// An IAM Identity Center profile: `sso_session` (naming an `[sso-session]` section) or the
/// legacy `sso_start_url` + `sso_region`, with `sso_account_id` and `sso_role_name`.
struct SSOProfile: Sendable, Hashable {
    var profile: String
    var startURL: String
    var region: String
    var accountId: String
    var roleName: String
    var sessionName: String?

    /// nil when the profile is not an SSO profile; an error names what is missing, as botocore's.
    static func from(profile name: String, values p: [String: String],
                     config: SharedConfig) throws(CredentialError) -> SSOProfile? {
        guard p["sso_account_id"] != nil || p["sso_role_name"] != nil || p["sso_session"] != nil
                || p["sso_start_url"] != nil else { return nil }
        let source = "profile \(name)"
        var merged = p
        if let session = p["sso_session"] {
            guard let settings = config.ssoSessions[session] else {
                throw CredentialError(source: source, reason: "names sso_session \(session), but the config file has no [sso-session \(session)] section")
            }
            for (key, value) in settings {
                if let own = p[key], own != value {
                    throw CredentialError(source: source, reason: "\(key) differs between the profile and [sso-session \(session)]")
                }
                merged[key] = value
            }
        }
        let required = ["sso_start_url", "sso_region", "sso_account_id", "sso_role_name"]
        let missing = required.filter { merged[$0]?.isEmpty ?? true }
        guard missing.isEmpty, let url = merged["sso_start_url"], let region = merged["sso_region"],
              let account = merged["sso_account_id"], let role = merged["sso_role_name"] else {
            throw CredentialError(source: source, reason: "is configured for IAM Identity Center but lacks \(missing.joined(separator: ", "))")
        }
        return SSOProfile(profile: name, startURL: url, region: region, accountId: account, roleName: role,
                          sessionName: p["sso_session"])
    }

    /// The file `aws sso login` caches the token in: SHA-1 of the session name, or of the
    /// start URL for legacy profiles (botocore's `SSOTokenLoader._generate_cache_key`).
    func tokenFile(environment env: [String: String]) -> String {
        let key = sessionName ?? startURL
        let digest = Insecure.SHA1.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        return "\(SharedConfig.homeDirectory(env))/.aws/sso/cache/\(digest).json"
    }
}

/// Role credentials from the IAM Identity Center portal (`GetRoleCredentials`, shaped by
/// botocore's `sso` service model: GET /federation/credentials, bearer token header),
/// refreshed before they expire. The cached token is read anew on each refresh, so an
/// `aws sso login` during a long scan is picked up.
enum SSOCredentials {
    static func provider(_ sso: SSOProfile, client: AWSClient,
                         environment: [String: String]) throws(CredentialError) -> RefreshingCredentialProvider {
        let file = sso.tokenFile(environment: environment)
        _ = try token(sso, file: file, now: client.now())  // fail now, before any scan starts
        return RefreshingCredentialProvider(now: client.now) {
            let accessToken = try token(sso, file: file, now: client.now())
            return try await roleCredentials(sso, token: accessToken, client: client)
        }
    }

    static func loginHint(_ sso: SSOProfile, _ why: String) -> CredentialError {
        CredentialError(source: "IAM Identity Center profile \(sso.profile)",
                        reason: "\(why); run aws sso login --profile \(sso.profile)")
    }

    static func token(_ sso: SSOProfile, file: String, now: Date) throws(CredentialError) -> String {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw loginHint(sso, "no cached token for \(sso.sessionName.map { "sso-session \($0)" } ?? sso.startURL) (\(file))")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let accessToken = object["accessToken"] as? String, let expiresText = object["expiresAt"] as? String else {
            throw loginHint(sso, "the cached token \(file) lacks accessToken or expiresAt")
        }
        // The CLI v1 wrote `2019-10-10T18:37:28UTC`.
        let normalized = expiresText.hasSuffix("UTC") ? expiresText.dropLast(3) + "Z" : expiresText
        guard let expiresAt = AWSTimestamp.parse(String(normalized)) else {
            throw loginHint(sso, "the cached token's expiresAt is not a time")
        }
        guard expiresAt > now else { throw loginHint(sso, "the cached token expired at \(expiresText)") }
        return accessToken
    }

    static func roleCredentials(_ sso: SSOProfile, token: String, client: AWSClient) async throws(CredentialError) -> Credentials {
        let source = "IAM Identity Center profile \(sso.profile)"
        var components = URLComponents(url: client.endpoints.url(.sso, region: sso.region)
            .appendingPathComponent("federation/credentials"), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "role_name", value: sso.roleName),
                                  URLQueryItem(name: "account_id", value: sso.accountId)]
        guard let url = components?.url else { throw CredentialError(source: source, reason: "the portal URL is not valid") }
        let request = HTTPRequest(method: "GET", url: url, headers: ["x-amz-sso_bearer_token": token])
        var attempt = 0
        while true {
            attempt += 1
            let response: HTTPResponse?
            do { response = try await client.transport.send(request) } catch { response = nil }
            if let response, response.status == 200 { return try parse(response.body, source: source) }
            if let response, response.status == 401 || response.status == 403 {
                throw loginHint(sso, "the portal refused the cached token (HTTP \(response.status))")
            }
            let retryable = response.map { $0.status == 429 || $0.status >= 500 } ?? true
            guard retryable, attempt < client.retry.maxAttempts else {
                throw CredentialError(source: source, reason: response.map { "GetRoleCredentials answered HTTP \($0.status)" }
                                      ?? "cannot reach \(url.host ?? "the portal")")
            }
            // A cancelled scan (SIGINT/SIGTERM) stops here rather than retrying on.
            do {
                try await Task.sleep(nanoseconds: UInt64(client.retry.delay(afterAttempt: attempt) * 1_000_000_000))
            } catch {
                throw CredentialError(source: source, reason: "cancelled while waiting to retry GetRoleCredentials")
            }
        }
    }

    /// `{"roleCredentials": {accessKeyId, secretAccessKey, sessionToken, expiration (epoch ms)}}`.
    static func parse(_ body: Data, source: String) throws(CredentialError) -> Credentials {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
              let role = object["roleCredentials"] as? [String: Any],
              let id = role["accessKeyId"] as? String, let secret = role["secretAccessKey"] as? String,
              let milliseconds = (role["expiration"] as? NSNumber)?.doubleValue else {
            throw CredentialError(source: source, reason: "GetRoleCredentials answer lacks roleCredentials")
        }
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: role["sessionToken"] as? String,
                           expiration: Date(timeIntervalSince1970: milliseconds / 1000))
    }
}
