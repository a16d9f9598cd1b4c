import AmigoAWS
@testable import AmigoCollect
import Foundation
import Synchronization
import Testing

/// Issue 8, item 1: a bucket whose requests all fail (a dead endpoint) must still refill, or
/// every later request of that bucket waits for ever.
@Suite struct PacingProgressTests {
    @Test func refillProgressesWithTimeEvenIfNothingEverEnds() {
        var bucket = TokenBucket(PacingLimits.Bucket(burst: 5, perSecond: 2), reserveSeconds: 0, rateMargin: 0)
        for _ in 0..<5 { bucket.take(at: 0) }
        #expect(bucket.wait(at: 1) > 0)
        #expect(bucket.wait(at: TokenBucket.latestArrival + 0.51) == 0)
    }

    @Test func refillProgressesAfterAnExchangeThatGotNoAnswer() {
        var bucket = TokenBucket(PacingLimits.Bucket(burst: 5, perSecond: 2), reserveSeconds: 0, rateMargin: 0)
        for _ in 0..<5 { bucket.take(at: 0) }
        bucket.ended(at: 1)           // the connection was refused: no answer, but time goes on
        #expect(bucket.wait(at: 1) > 0)
        #expect(bucket.wait(at: 1.51) == 0)
    }

    /// Always fails, as a refused connection does.
    final class Refusing: Transport {
        let count = Atomic<Int>(0)
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            count.add(1, ordering: .relaxed)
            throw TransportError(kind: .connect, url: request.url.absoluteString, detail: "refused")
        }
    }

    /// The pacer's clock, 50 times real time: refill and waits shrink alike, so the test
    /// stays quick on a loaded host.
    static let fastClock: @Sendable () -> Double = { HTTPResponse.uptime() * 50 }

    @Test func aBucketWhoseRequestsAllFailKeepsAdmitting() async throws {
        let inner = Refusing()
        let paced = PacedTransport(wrapping: inner, limits: .aws, maxInFlight: 8, clock: Self.fastClock)
        let request = BucketKeyTests.signed("organizations", region: "us-east-1",
                                            headers: ["X-Amz-Target": "AWSOrganizationsV20161128.ListAccounts"], body: "{}")
        // Twice the Organizations bucket, one after another, as retries go.
        let done = await finishes(within: 600) {
            for _ in 0..<10 { _ = try? await paced.send(request) }
        }
        #expect(done, "the pacer stopped admitting after \(inner.count.load(ordering: .relaxed)) sends")
        #expect(inner.count.load(ordering: .relaxed) == 10)
    }

    @Test func aRequestWaitingInThePacerCanBeCancelled() async throws {
        let inner = Refusing()
        let limits = PacingLimits(services: ["organizations": .init(burst: 1, perSecond: 1e-6)], reserveSeconds: 0)
        let paced = PacedTransport(wrapping: inner, limits: limits, maxInFlight: 8, clock: Self.fastClock)
        let request = BucketKeyTests.signed("organizations", region: "us-east-1",
                                            headers: ["X-Amz-Target": "AWSOrganizationsV20161128.ListAccounts"], body: "{}")
        _ = try? await paced.send(request)   // spends the only token; the next would wait days
        let waiting = Task { try await paced.send(request) }
        try await Task.sleep(nanoseconds: 100_000_000)
        waiting.cancel()
        let done = await finishes(within: 30) { _ = try? await waiting.value }
        #expect(done, "a cancelled request stayed queued in the pacer")
        #expect(inner.count.load(ordering: .relaxed) == 1)
    }
}

/// Runs `body` unstructured and reports whether it finished within `seconds`; a body that
/// hangs is left behind instead of hanging the test run.
func finishes(within seconds: Double, _ body: @escaping @Sendable () async -> Void) async -> Bool {
    let finished = Atomic<Bool>(false)
    Task {
        await body()
        finished.store(true, ordering: .releasing)
    }
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if finished.load(ordering: .acquiring) { return true }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return finished.load(ordering: .acquiring)
}
