import Foundation
import Logging

/// Sends AWS API calls: builds Query (EC2, STS) and JSON 1.1 (Organizations) requests, signs
/// them, retries what is worth retrying, and turns every failure into an `AWSError`.
public struct AWSClient: Sendable {
    public let transport: any Transport
    public let endpoints: Endpoints
    public let retry: RetryPolicy
    public let stats: RequestStats
    public let logger: Logger
    public let now: @Sendable () -> Date

    public init(transport: any Transport, endpoints: Endpoints = Endpoints(),
                retry: RetryPolicy = RetryPolicy(), stats: RequestStats = RequestStats(),
                logger: Logger = Logger(label: "amigo.aws"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.transport = transport; self.endpoints = endpoints; self.retry = retry
        self.stats = stats; self.logger = logger; self.now = now
    }

    /// A Query-protocol call; returns the root element of the response.
    public func query(_ service: Service, region: String, action: String,
                      parameters: [(String, String)] = [],
                      credentials: any CredentialProvider) async throws(AWSError) -> XMLNode {
        let form = [("Action", action), ("Version", service.apiVersion)] + parameters
        let body = QueryForm.encode(form)
        let request = HTTPRequest(method: "POST", url: endpoints.url(service, region: region),
                                  headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
                                  body: Data(body.utf8))
        let parseError: (HTTPResponse) -> (String, String, String?)? = { r in
            guard let e = ErrorBody.query(r.body) else { return nil }
            return (e.code, e.message, e.requestId)
        }
        let decode: (Data) -> Result<XMLNode, DecodeFailure> = { body in
            do { return .success(try XMLDocument.parse(body)) }
            catch { return .failure(DecodeFailure(String(describing: error))) }
        }
        return try await send(request, service: service, region: region, action: action,
                              credentials: credentials, parseError: parseError, decode: decode)
    }

    /// A JSON 1.1 call (`X-Amz-Target: <prefix>.<action>`); returns the decoded object.
    public func json(_ service: Service, region: String, target: String, action: String,
                     body: [String: any Sendable] = [:],
                     credentials: any CredentialProvider) async throws(AWSError) -> [String: Any] {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        let request = HTTPRequest(method: "POST", url: endpoints.url(service, region: region),
                                  headers: ["Content-Type": "application/x-amz-json-1.1",
                                            "X-Amz-Target": "\(target).\(action)"],
                                  body: data)
        let parseError: (HTTPResponse) -> (String, String, String?)? = { r in
            guard let e = ErrorBody.json(r.body, headers: r.headers) else { return nil }
            return (e.code, e.message, r.headers["x-amzn-requestid"])
        }
        let decode: (Data) -> Result<JSONBox, DecodeFailure> = { body in
            guard let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
                return .failure(DecodeFailure("response body is not a JSON object"))
            }
            return .success(JSONBox(o))
        }
        let object = try await send(request, service: service, region: region, action: action,
                                    credentials: credentials, parseError: parseError, decode: decode)
        return object.value
    }

    private func send<T>(_ unsigned: HTTPRequest, service: Service, region: String, action: String,
                         credentials: any CredentialProvider,
                         parseError: (HTTPResponse) -> (String, String, String?)?,
                         decode: (Data) -> Result<T, DecodeFailure>) async throws(AWSError) -> T {
        var attempt = 0
        while true {
            attempt += 1
            let failure: AWSError
            var retryAfter: Double?
            do {
                var request = unsigned
                if !(credentials is AnonymousCredentialProvider) {
                    let creds = try await credentials.credentials()
                    SigV4.sign(&request, credentials: creds,
                               region: endpoints.signingRegion(service, region: region),
                               service: service.rawValue, date: now())
                }
                stats.request(action)
                let response = try await transport.send(request)
                if (200..<300).contains(response.status) {
                    switch decode(response.body) {
                    case .success(let value): return value
                    case .failure(let why):
                        // A body cut short by a reset or a proxy: worth another try.
                        failure = AWSError(service: service.rawValue, operation: action, region: region,
                                           code: "MalformedResponse", message: why.message,
                                           status: response.status)
                    }
                } else if let (code, message, requestId) = parseError(response) {
                    failure = AWSError(service: service.rawValue, operation: action, region: region,
                                       code: code, message: message, status: response.status, requestId: requestId)
                    retryAfter = RetryPolicy.retryAfter(response.headers["retry-after"], now: now())
                } else {
                    failure = AWSError(service: service.rawValue, operation: action, region: region,
                                       code: "HTTP\(response.status)",
                                       message: "unexpected HTTP \(response.status) with a body that is not an AWS error",
                                       status: response.status)
                    retryAfter = RetryPolicy.retryAfter(response.headers["retry-after"], now: now())
                }
            } catch let error as TransportError {
                failure = AWSError(service: service.rawValue, operation: action, region: region,
                                   code: error.kind == .timeout ? "Timeout" : "ConnectionError",
                                   message: error.description)
            } catch let error as CredentialError {
                throw AWSError(service: service.rawValue, operation: action, region: region,
                               code: "CredentialsUnavailable", message: error.description)
            } catch let error as AWSError {
                // Credential providers that call AWS (AssumeRole) fail with the AWS error itself.
                throw error
            } catch {
                throw AWSError(service: service.rawValue, operation: action, region: region,
                               code: "ClientError", message: String(describing: error))
            }
            guard failure.isRetryable, attempt < retry.maxAttempts, retry.budget.take() else {
                stats.failure()
                throw failure
            }
            let wait = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
            stats.retry(throttled: failure.isThrottling, wait: wait)
            logger.debug("retrying \(service.rawValue):\(action) in \(region) after \(failure.code), attempt \(attempt), waiting \(String(format: "%.2f", wait)) s")
            try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
        }
    }

}

struct DecodeFailure: Error, ExpressibleByStringLiteral {
    var message: String
    init(_ message: String) { self.message = message }
    init(stringLiteral value: String) { message = value }
}

/// Carries a JSON object out of the retry loop; Foundation's JSON values are not Sendable.
struct JSONBox: @unchecked Sendable {
    let value: [String: Any]
    init(_ value: [String: Any]) { self.value = value }
}
