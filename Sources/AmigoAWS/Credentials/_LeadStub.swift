// TEMPORARY stub; not committed.
import Foundation
public actor AssumeRoleCredentialProvider: CredentialProvider {
    let client: AWSClient; let roleArn: String; let sessionName: String; let source: any CredentialProvider; let region: String
    var cached: Credentials?
    public init(client: AWSClient, roleArn: String, sessionName: String, externalId: String?, durationSeconds: Int?, source: any CredentialProvider, region: String) {
        self.client = client; self.roleArn = roleArn; self.sessionName = sessionName; self.source = source; self.region = region }
    public func credentials() async throws -> Credentials {
        if let cached { return cached }
        let root = try await client.query(.sts, region: region, action: "AssumeRole", parameters: [("RoleArn", roleArn), ("RoleSessionName", sessionName)], credentials: source)
        guard let c = root.at("AssumeRoleResult", "Credentials"), let k = c.string("AccessKeyId"), let s = c.string("SecretAccessKey") else { throw CredentialError(source: "AssumeRole", reason: "bad") }
        let v = Credentials(accessKeyId: k, secretAccessKey: s, sessionToken: c.string("SessionToken"))
        cached = v; return v
    }
}
public struct RecordingTransport: Transport { public init(directory: URL, wrapping: any Transport) throws {}; public func send(_ request: HTTPRequest) async throws -> HTTPResponse { fatalError() } }
public enum CredentialChain { public static func resolve(profile: String?, environment: [String: String], client: AWSClient, region: String) async throws -> any CredentialProvider {
    guard let k = environment["AWS_ACCESS_KEY_ID"], let s = environment["AWS_SECRET_ACCESS_KEY"] else { throw CredentialError(source: "environment", reason: "no keys") }
    return StaticCredentialProvider(Credentials(accessKeyId: k, secretAccessKey: s, sessionToken: environment["AWS_SESSION_TOKEN"])) } }
public enum ProfileRegion { public static func lookup(profile: String?, environment: [String: String]) -> String? { nil } }
