import AmigoAWS
@testable import AmigoCollect
import Foundation
import Synchronization
import Testing

@Suite struct TokenBucketTests {
    let ec2 = PacingLimits.Bucket(burst: 100, perSecond: 20)

    @Test func startsFullLessTheReserveThenRefillsAtTheRate() {
        var bucket = TokenBucket(ec2, reserveSeconds: 0.1, rateMargin: 0)
        #expect(bucket.capacity == 98)
        for _ in 0..<98 {
            #expect(bucket.wait(at: 10) == 0)
            bucket.take(at: 10)
        }
        bucket.ended(at: 10)
        #expect(abs(bucket.wait(at: 10) - 0.05) < 1e-9)
        #expect(bucket.wait(at: 10.05) == 0)
    }

    /// The server's bucket starts when the first request arrives, which may be long after it
    /// was sent: no refill is counted until an answer proves the bucket exists.
    @Test func noRefillIsCreditedBeforeTheFirstAnswer() {
        var bucket = TokenBucket(ec2, reserveSeconds: 0, rateMargin: 0)
        for _ in 0..<100 { bucket.take(at: 0) }
        #expect(bucket.wait(at: 2) > 0)
        bucket.ended(at: 2)
        #expect(bucket.wait(at: 2) > 0)
        #expect(bucket.wait(at: 2.051) == 0)
        bucket.ended(at: 3)   // only the first answer anchors
        #expect(bucket.wait(at: 2.1) == 0)
    }

    /// The server takes a request's token when it arrives: while its bucket is full, the
    /// refill of the request's time on the way is lost to it, so the model must not credit it.
    @Test func aRequestInFlightCountsAgainstTheCapacityUntilItEnds() {
        var bucket = TokenBucket(PacingLimits.Bucket(burst: 10, perSecond: 10), reserveSeconds: 0, rateMargin: 0)
        bucket.take(at: 0)
        bucket.ended(at: 0)
        bucket.take(at: 1)              // on its way; the server, full, is still at 10
        _ = bucket.wait(at: 5)
        #expect(bucket.available == 9)  // what the server holds once it arrives
        bucket.ended(at: 5)
        _ = bucket.wait(at: 6)
        #expect(bucket.available == 10)
        // One that never ends is taken to have arrived after `latestArrival`.
        bucket.take(at: 6)
        _ = bucket.wait(at: 6 + TokenBucket.latestArrival - 0.5)
        #expect(bucket.available == 9)
        _ = bucket.wait(at: 6 + TokenBucket.latestArrival + 0.5)
        #expect(bucket.available == 10)
    }

    @Test func neverHoldsMoreThanItsCapacity() {
        var bucket = TokenBucket(ec2, reserveSeconds: 0, rateMargin: 0)
        bucket.take(at: 0)
        bucket.ended(at: 0)
        _ = bucket.wait(at: 3600)
        #expect(bucket.available == 100)
    }

    @Test func marginSlowsTheRefill() {
        var bucket = TokenBucket(PacingLimits.Bucket(burst: 1, perSecond: 10), reserveSeconds: 0, rateMargin: 0.5)
        bucket.take(at: 0)
        bucket.ended(at: 0)
        #expect(abs(bucket.wait(at: 0) - 0.2) < 1e-9)
    }

    @Test func aThrottlingAnswerEmptiesTheModel() {
        var bucket = TokenBucket(ec2, reserveSeconds: 0, rateMargin: 0)
        bucket.take(at: 0)
        bucket.drain(at: 0)
        #expect(bucket.wait(at: 0) > 0)
    }

    @Test func scalingEC2LeavesOtherServicesAlone() {
        let raised = PacingLimits.aws.scalingEC2(by: 2)
        #expect(raised.bucket(service: "ec2", action: "DescribeImages")?.perSecond == 40)
        #expect(raised.bucket(service: "sts", action: "AssumeRole") == PacingLimits.aws.bucket(service: "sts", action: "AssumeRole"))
        #expect(raised.bucket(service: "iam", action: "ListRoles") == nil)
    }
}

@Suite struct BucketKeyTests {
    static func signed(_ service: String, region: String, key: String = "ASIAEXAMPLE",
                       headers: [String: String] = [:], body: String) -> HTTPRequest {
        var request = HTTPRequest(url: URL(string: "https://\(service).\(region).amazonaws.com/")!,
                                  headers: headers, body: Data(body.utf8))
        SigV4.sign(&request, credentials: Credentials(accessKeyId: key, secretAccessKey: "secret"),
                   region: region, service: service, date: Date(timeIntervalSince1970: 1_790_000_000))
        return request
    }

    @Test func queryRequestsAreKeyedByCredentialScopeAndAction() throws {
        let request = Self.signed("ec2", region: "eu-west-1",
                                  body: "Action=DescribeImageAttribute&Version=2016-11-15&ImageId=ami-1")
        let key = try #require(BucketKey(request))
        #expect(key.accessKeyId == "ASIAEXAMPLE")
        #expect(key.region == "eu-west-1")
        #expect(key.service == "ec2")
        #expect(key.action == "DescribeImageAttribute")
    }

    @Test func actionNeedNotComeFirst() {
        let request = Self.signed("sts", region: "us-east-1", body: "Version=2011-06-15&Action=AssumeRole")
        #expect(BucketKey(request)?.action == "AssumeRole")
    }

    @Test func jsonRequestsNameTheirActionInTheTarget() {
        let request = Self.signed("organizations", region: "us-east-1",
                                  headers: ["X-Amz-Target": "AWSOrganizationsV20161128.ListAccounts"], body: "{}")
        #expect(BucketKey(request)?.action == "ListAccounts")
        #expect(BucketKey(request)?.service == "organizations")
    }

    /// The key is cut from the scope by byte offsets: parts of several bytes must not shift it.
    @Test func scopesAreCutAtTheirSlashesWhateverTheirBytes() throws {
        func request(_ credential: String) -> HTTPRequest {
            HTTPRequest(url: URL(string: "https://ec2.eu-west-1.amazonaws.com/")!,
                        headers: ["Authorization": "AWS4-HMAC-SHA256 Credential=\(credential), SignedHeaders=host"],
                        body: Data("Action=DescribeImages".utf8))
        }
        let key = try #require(BucketKey(request("ÄKÏD/20261202/eu-wést-1/ec2/aws4_request")))
        #expect(key.accessKeyId == "ÄKÏD")
        #expect(key.region == "eu-wést-1")
        #expect(key.service == "ec2")
        #expect(key.action == "DescribeImages")
        #expect(key.text == "ÄKÏD/eu-wést-1/ec2/DescribeImages")
        #expect(BucketKey(request("AKID/20261202/eu-west-1/ec2")) == nil)
        #expect(BucketKey(request("/20261202/eu-west-1/ec2/aws4_request")) == nil)
    }

    @Test func unsignedRequestsHaveNoBucket() {
        let request = HTTPRequest(url: URL(string: "https://sts.amazonaws.com/")!,
                                  body: Data("Action=AssumeRoleWithWebIdentity".utf8))
        #expect(BucketKey(request) == nil)
    }
}

@Suite struct PacedTransportTests {
    /// Answers every request with the same response and counts how many it saw.
    final class Canned: Transport, @unchecked Sendable {
        let response: HTTPResponse
        let lock = NSLock()
        var count = 0
        init(_ response: HTTPResponse) { self.response = response }
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            lock.withLock { count += 1 }
            return response
        }
    }

    @Test(arguments: [
        (503, "<Response><Errors><Error><Code>RequestLimitExceeded</Code></Error></Errors></Response>", true),
        (400, "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>", true),
        (400, #"{"__type":"TooManyRequestsException"}"#, true),
        (403, "<Response><Errors><Error><Code>UnauthorizedOperation</Code></Error></Errors></Response>", false),
        (200, "<DescribeImagesResponse/>", false),
    ])
    func throttlingAnswersAreRecognised(status: Int, body: String, throttling: Bool) {
        #expect(PacedTransport.isThrottling(HTTPResponse(status: status, body: Data(body.utf8))) == throttling)
    }

    @Test func aBurstWithinTheBucketPassesStraightThrough() async throws {
        let inner = Canned(HTTPResponse(status: 200, body: Data("ok".utf8)))
        let paced = PacedTransport(wrapping: inner, limits: .aws, maxInFlight: 4, clock: { 0 })
        let request = BucketKeyTests.signed("ec2", region: "us-east-1", body: "Action=DescribeImages")
        try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
            for _ in 0..<90 { group.addTask { try await paced.send(request) } }
            for try await response in group { #expect(response.body == Data("ok".utf8)) }
        }
        #expect(inner.count == 90)
    }

    /// An answer the transport had long before its task ran again (every thread busy): the
    /// bucket's refill counts from when it was in, so the task's own delay costs no tokens.
    /// One token every 3 s and a task that resumes 3.5 s after its answer came: the next request
    /// goes at once (the bound allows a loaded machine 2.5 s), and without the stamp it cannot
    /// go before the 3 s a token takes (a bound that holds under any load).
    @Test func refillCountsFromWhenTheAnswerWasReceived() async throws {
        final class LateResume: Transport {
            let stamped: Bool
            let sent = Mutex<[Double]>([])
            init(stamped: Bool) { self.stamped = stamped }
            func send(_ request: HTTPRequest) async throws -> HTTPResponse {
                let now = HTTPResponse.uptime()
                let first = sent.withLock { $0.append(now); return $0.count == 1 }
                if first { try await Task.sleep(for: .milliseconds(3500)) }
                var response = HTTPResponse(status: 200)
                if stamped { response.receivedAt = now + 0.05 }
                return response
            }
        }
        let limits = PacingLimits(services: ["ec2": .init(burst: 1, perSecond: 1.0 / 3)], reserveSeconds: 0, rateMargin: 0)
        let request = BucketKeyTests.signed("ec2", region: "us-east-1", body: "Action=DescribeImages")
        func secondRequestWaits(stamped: Bool) async throws -> Double {
            let inner = LateResume(stamped: stamped)
            let paced = PacedTransport(wrapping: inner, limits: limits, maxInFlight: 1)
            _ = try await paced.send(request)
            let answered = HTTPResponse.uptime()
            _ = try await paced.send(request)
            return try #require(inner.sent.withLock { $0.last }) - answered
        }
        async let stamped = secondRequestWaits(stamped: true)
        async let unstamped = secondRequestWaits(stamped: false)
        #expect(try await stamped < 2.5)
        #expect(try await unstamped >= 2.9)
    }

    @Test func unsignedRequestsAreSentUnpaced() async throws {
        let inner = Canned(HTTPResponse(status: 200))
        let paced = PacedTransport(wrapping: inner, limits: PacingLimits(services: [:]), maxInFlight: 1, clock: { 0 })
        _ = try await paced.send(HTTPRequest(url: URL(string: "https://sts.amazonaws.com/")!))
        #expect(inner.count == 1)
    }
}

@Suite struct PacingSchedulerOrderTests {
    /// Every account×region ends (n − burst) / rate seconds after its bucket's first arrival,
    /// so a bucket's first request must not queue behind other buckets' bursts.
    @Test func aBucketsFirstRequestGoesBeforeOtherBucketsQueuedOnes() async throws {
        let scheduler = PacingScheduler(slots: 1, clock: { 0 })
        let model = TokenBucket(PacingLimits.Bucket(burst: 100, perSecond: 20), reserveSeconds: 0, rateMargin: 0)
        let busy = scheduler.addBucket(model)
        let fresh = scheduler.addBucket(model)
        try await scheduler.admit(busy)   // holds the only slot
        final class Order: Sendable { let labels = Mutex<[String]>([]) }
        let order = Order()
        var tasks: [Task<Void, any Error>] = []
        for (label, bucket) in [("busy", busy), ("busy", busy), ("fresh", fresh), ("busy", busy)] {
            let before = scheduler.queued
            tasks.append(Task {
                try await scheduler.admit(bucket)
                order.labels.withLock { $0.append(label) }
            })
            while scheduler.queued == before { try await Task.sleep(nanoseconds: 1_000_000) }
        }
        for admitted in 1...4 {
            scheduler.release(busy, throttled: false)
            while order.labels.withLock({ $0.count }) < admitted { try await Task.sleep(nanoseconds: 1_000_000) }
        }
        for task in tasks { try await task.value }
        #expect(order.labels.withLock { $0 } == ["fresh", "busy", "busy", "busy"])
    }
}
