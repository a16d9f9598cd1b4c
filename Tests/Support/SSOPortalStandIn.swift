import Foundation

/// A loopback stand-in for the IAM Identity Center portal (moto does not model it):
/// `GET /federation/credentials` answers `GetRoleCredentials` as botocore's `sso` model
/// shapes it when the `x-amz-sso_bearer_token` header carries `token`, and 401 otherwise.
/// Which role and account were asked for is in `requests()` (the query string).
public final class SSOPortalStandIn: @unchecked Sendable {
    private let server: LoopbackHTTPServer
    public var url: URL { server.url }

    public static func start(token: String, accessKeyId: String = "ASIASSOSTANDIN00000",
                             expiration: Date) throws -> SSOPortalStandIn {
        try SSOPortalStandIn(token: token, accessKeyId: accessKeyId, expiration: expiration)
    }

    private init(token: String, accessKeyId: String, expiration: Date) throws {
        let credentials: [String: Any] = ["roleCredentials": [
            "accessKeyId": accessKeyId, "secretAccessKey": "sso-stand-in-secret",
            "sessionToken": "sso-stand-in-session", "expiration": Int64(expiration.timeIntervalSince1970 * 1000),
        ]]
        let body = String(decoding: try JSONSerialization.data(withJSONObject: credentials), as: UTF8.self)
        server = try LoopbackHTTPServer.start(routes: [
            "GET /federation/credentials": .init(headers: ["Content-Type": "application/json"], body: body,
                                                 require: ["x-amz-sso_bearer_token": token]),
        ])
    }

    public func requests() async throws -> [LoopbackHTTPServer.Log.Request] { try await server.log().requests }

    public func stop() { server.stop() }
}
