@testable import AmigoAWS
import AmigoTestSupport
import Foundation
import Testing

/// Issue 8, item 11: a call to an endpoint that accepts and never answers ends at its
/// deadline, retries included, whatever the transport's own timeout.
@Suite struct CallDeadlineTests {
    @Test func aSilentEndpointFailsAtTheCallDeadline() async throws {
        let silent = try SilentServer.start()
        defer { silent.stop() }
        let client = AWSClient(transport: CurlTransport(maxConcurrent: 4, connectTimeout: 5, timeout: 600),
                               endpoints: Endpoints(override: silent.url),
                               retry: RetryPolicy(maxAttempts: 8, baseDelay: 0.05, maxDelay: 0.1, deadline: 1.5))
        let action = try #require(AWSAction(.ec2, "DescribeRegions"))
        let started = Date()
        do {
            _ = try await client.query(action, region: "us-east-1",
                                       credentials: StaticCredentialProvider(Credentials(accessKeyId: "AKID", secretAccessKey: "s")))
            Issue.record("a silent endpoint answered")
        } catch {
            #expect(error.code == "Timeout", "\(error)")
            #expect(error.message.contains("deadline"), "\(error)")
        }
        let seconds = Date().timeIntervalSince(started)
        // Far below the transport's 600 s; generous, as a loaded host wakes late.
        #expect(seconds >= 1.4 && seconds < 300, "took \(seconds) s")
    }

    @Test func onlyWaitingOnTheNetworkOrBackingOffCounts() async throws {
        let deadline = CallDeadline(seconds: 3)
        try await Task.sleep(nanoseconds: 400_000_000)   // amigo's own work between attempts
        #expect(deadline.remaining > 2.99)
        await deadline.backoff(1)
        #expect(deadline.remaining < 2.1 && deadline.remaining > 1.4, "\(deadline.remaining)")
    }

    @Test func timeQueuedBehindThePacerDoesNotCount() async throws {
        let deadline = CallDeadline(seconds: 0.2)
        deadline.extend(by: 60)
        #expect(deadline.remaining > 59)
        deadline.extend(by: -5)   // never shortened
        #expect(deadline.remaining > 59)
    }
}
