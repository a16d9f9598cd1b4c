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

    /// A Query-protocol call; returns the root element of the response. `parameters` cannot
    /// name the action (`Action`, `Version`): only `action` does.
    public func query(_ action: AWSAction, region: String, parameters: [(String, String)] = [],
                      credentials: any CredentialProvider) async throws(AWSError) -> XMLNode {
        if let smuggled = parameters.first(where: { ["action", "version"].contains($0.0.lowercased()) }) {
            throw AWSError(service: action.service.rawValue, operation: action.name, region: region,
                           code: "RefusedByClient", message: "a parameter named \(smuggled.0) could change the action sent")
        }
        let form = [("Action", action.name), ("Version", action.service.apiVersion)] + parameters
        let body = QueryForm.encode(form)
        let request = HTTPRequest(method: "POST", url: endpoints.url(action.service, region: region),
                                  headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
                                  body: Data(body.utf8))
        let parseError: @Sendable (HTTPResponse) -> (String, String, String?)? = { r in
            guard let e = ErrorBody.query(r.body) else { return nil }
            return (e.code, e.message, e.requestId)
        }
        let decode: @Sendable (Data) -> Result<XMLNode, DecodeFailure> = { body in
            do { return .success(try XMLDocument.parse(body)) }
            catch { return .failure(DecodeFailure(String(describing: error))) }
        }
        return try await send(request, action: action, region: region,
                              credentials: credentials, parseError: parseError, decode: decode)
    }

    /// A JSON 1.1 call (`X-Amz-Target: <prefix>.<action>`); returns the decoded object.
    public func json(_ action: AWSAction, region: String, body: [String: any Sendable] = [:],
                     credentials: any CredentialProvider) async throws(AWSError) -> [String: Any] {
        guard let prefix = action.service.jsonTargetPrefix else {
            throw AWSError(service: action.service.rawValue, operation: action.name, region: region,
                           code: "RefusedByClient", message: "\(action.service.rawValue) is not a JSON 1.1 service")
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        let request = HTTPRequest(method: "POST", url: endpoints.url(action.service, region: region),
                                  headers: ["Content-Type": "application/x-amz-json-1.1",
                                            "X-Amz-Target": "\(prefix).\(action.name)"],
                                  body: data)
        let parseError: @Sendable (HTTPResponse) -> (String, String, String?)? = { r in
            guard let e = ErrorBody.json(r.body, headers: r.headers) else { return nil }
            return (e.code, e.message, r.headers["x-amzn-requestid"])
        }
        let decode: @Sendable (Data) -> Result<JSONBox, DecodeFailure> = { body in
            guard let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
                return .failure(DecodeFailure("response body is not a JSON object"))
            }
            return .success(JSONBox(o))
        }
        let object = try await send(request, action: action, region: region,
                                    credentials: credentials, parseError: parseError, decode: decode)
        return object.value
    }

    /// Signs, sends and retries one call until it succeeds, fails for good, or its deadline
    /// (`retry.deadline` of waiting on the network and backing off) is spent.
    private func send<T>(_ unsigned: HTTPRequest, action: AWSAction, region: String,
                         credentials: any CredentialProvider,
                         parseError: (HTTPResponse) -> (String, String, String?)?,
                         decode: (Data) -> Result<T, DecodeFailure>) async throws(AWSError) -> T {
        let deadline = CallDeadline(seconds: retry.deadline)
        let outcome: Result<T, AWSError> = await CallDeadline.$current.withValue(deadline) {
            do throws(AWSError) {
                return .success(try await attempts(unsigned, action: action, region: region, deadline: deadline,
                                                   credentials: credentials, parseError: parseError, decode: decode))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    private func attempts<T>(_ unsigned: HTTPRequest, action: AWSAction, region: String, deadline: CallDeadline,
                             credentials: any CredentialProvider,
                             parseError: (HTTPResponse) -> (String, String, String?)?,
                             decode: (Data) -> Result<T, DecodeFailure>) async throws(AWSError) -> T {
        let service = action.service
        func failed(_ code: String, _ message: String, status: Int? = nil, requestId: String? = nil) -> AWSError {
            AWSError(service: service.rawValue, operation: action.name, region: region, code: code,
                     message: message, status: status, requestId: requestId)
        }
        var attempt = 0
        while true {
            attempt += 1
            var failure: AWSError
            var retryAfter: Double?
            do {
                var request = unsigned
                if !(credentials is AnonymousCredentialProvider) {
                    let creds = try await credentials.credentials()
                    SigV4.sign(&request, credentials: creds,
                               region: endpoints.signingRegion(service, region: region),
                               service: service.rawValue, date: now())
                }
                stats.request(action.name)
                let response = try await deadline.exchange(request, on: transport)
                if (200..<300).contains(response.status) {
                    switch decode(response.body) {
                    case .success(let value): return value
                    case .failure(let why):
                        // A body cut short by a reset or a proxy: worth another try.
                        failure = failed("MalformedResponse", why.message, status: response.status)
                    }
                } else if let (code, message, requestId) = parseError(response) {
                    failure = failed(code, message, status: response.status, requestId: requestId)
                    retryAfter = RetryPolicy.retryAfter(response.headers["retry-after"], now: now())
                } else {
                    failure = failed("HTTP\(response.status)",
                                     "unexpected HTTP \(response.status) with a body that is not an AWS error",
                                     status: response.status)
                    retryAfter = RetryPolicy.retryAfter(response.headers["retry-after"], now: now())
                }
            } catch let error as TransportError {
                failure = failed(error.kind == .timeout ? "Timeout" : "ConnectionError", error.description)
            } catch let error as CredentialError {
                throw failed("CredentialsUnavailable", error.description)
            } catch let error as AWSError {
                // Credential providers that call AWS (AssumeRole) fail with the AWS error itself.
                throw error
            } catch {
                throw failed("ClientError", String(describing: error))
            }
            let wait = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
            let timeLeft = deadline.remaining
            guard failure.isRetryable, attempt < retry.maxAttempts, wait < timeLeft, retry.budget.take() else {
                if failure.isRetryable && attempt < retry.maxAttempts && wait >= timeLeft {
                    failure.message += " (gave up after \(attempt) attempt(s): the call's \(CallDeadline.format(deadline.seconds)) s deadline)"
                }
                stats.failure()
                throw failure
            }
            stats.retry(throttled: failure.isThrottling, wait: wait)
            logger.debug("retrying \(action) in \(region) after \(failure.code), attempt \(attempt), waiting \(String(format: "%.2f", wait)) s")
            await deadline.backoff(wait)
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
