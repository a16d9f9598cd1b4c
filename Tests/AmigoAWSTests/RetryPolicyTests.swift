import AmigoAWS
import Foundation
import Synchronization
import Testing

/// Answers from a fixed script, one per request, then repeats the last.
final class ScriptedTransport: Transport {
    let script: [HTTPResponse]
    let sent = Mutex(0)
    init(_ script: [HTTPResponse]) { self.script = script }
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let n = sent.withLock { n in defer { n += 1 }; return n }
        return script[min(n, script.count - 1)]
    }
}

let throttled = HTTPResponse(status: 503, headers: ["retry-after": "0.05"], body: Data("""
<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>
""".utf8))
let regionsOK = HTTPResponse(status: 200, body: Data("<DescribeRegionsResponse><regionInfo><item><regionName>eu-west-1</regionName></item></regionInfo></DescribeRegionsResponse>".utf8))
let keys = StaticCredentialProvider(Credentials(accessKeyId: "AKID", secretAccessKey: "s"))

struct RetryPolicyTests {
    @Test(arguments: 1...12)
    func fullJitterStaysWithinItsCeiling(attempt: Int) {
        let policy = RetryPolicy(baseDelay: 0.2, maxDelay: 20)
        let ceiling = min(20, 0.2 * pow(2, Double(attempt - 1)))
        let delays = (0..<500).map { _ in policy.delay(afterAttempt: attempt) }
        #expect(delays.allSatisfy { $0 >= 0 && $0 <= ceiling })
        // Jitter, not a fixed step: the draws spread over the range.
        #expect(Set(delays).count > 400)
        #expect(delays.max()! > ceiling * 0.5)
    }

    @Test func retryAfterRaisesTheFloorButNeverPastMaxDelay() {
        let policy = RetryPolicy(baseDelay: 0.01, maxDelay: 5)
        #expect((0..<200).allSatisfy { _ in policy.delay(afterAttempt: 1, retryAfter: 2) >= 2 })
        #expect(policy.delay(afterAttempt: 1, retryAfter: 60) == 5)
    }

    @Test func retryAfterHeaderParsesSecondsAndDates() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        #expect(RetryPolicy.retryAfter("3", now: now) == 3)
        #expect(RetryPolicy.retryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == 10)
        #expect(RetryPolicy.retryAfter("soon", now: now) == nil)
        #expect(RetryPolicy.retryAfter(nil, now: now) == nil)
    }

    @Test func throttlingIsRetriedCountedAndWaitsRetryAfter() async throws {
        let stats = RequestStats()
        // Not a deadline test: on a loaded test host a backoff's wake-up can come minutes late.
        let client = AWSClient(transport: ScriptedTransport([throttled, throttled, regionsOK]),
                               retry: RetryPolicy(baseDelay: 0, maxDelay: 1, deadline: 3600), stats: stats)
        let root = try await client.query(AWSAction(.ec2, "DescribeRegions")!, region: "eu-west-1", credentials: keys)
        #expect(root.items("regionInfo").count == 1)
        let s = stats.snapshot
        #expect(s.requests == 3 && s.retries == 2 && s.throttled == 2 && s.failures == 0)
        #expect(s.backoffSeconds >= 0.1)
    }

    @Test func anEmptyBudgetStopsRetrying() async throws {
        let stats = RequestStats()
        let client = AWSClient(transport: ScriptedTransport([throttled]),
                               retry: RetryPolicy(maxAttempts: 10, baseDelay: 0, maxDelay: 0, deadline: 3600,
                                                  budget: RetryBudget(tokens: 1)),
                               stats: stats)
        let error = await #expect(throws: AWSError.self) {
            try await client.query(AWSAction(.ec2, "DescribeRegions")!, region: "eu-west-1", credentials: keys)
        }
        #expect(error?.code == "RequestLimitExceeded" && error?.isThrottling == true)
        #expect(stats.snapshot.requests == 2 && stats.snapshot.failures == 1)
    }
}
