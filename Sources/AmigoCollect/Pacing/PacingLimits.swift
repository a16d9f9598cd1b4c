/// The token buckets AWS meters API calls with, as the client assumes them: a burst and a
/// refill rate per (account, region, service, action).
public struct PacingLimits: Sendable, Hashable {
    public struct Bucket: Sendable, Hashable {
        public var burst: Double
        public var perSecond: Double
        public init(burst: Double, perSecond: Double) { self.burst = burst; self.perSecond = perSecond }
    }

    /// Per service (`ec2`, `sts`, `organizations`); a service not listed is not paced.
    public var services: [String: Bucket]
    /// Per `service:action`, overriding the service's bucket.
    public var actions: [String: Bucket]
    /// Seconds of refill the client keeps in hand: requests can overtake each other on the
    /// way to the server, and each arrival is metered, not each send.
    public var reserveSeconds: Double
    /// Fraction of the refill rate left unused, so clock drift never adds up to a throttle.
    public var rateMargin: Double

    public init(services: [String: Bucket], actions: [String: Bucket] = [:],
                reserveSeconds: Double = 0.05, rateMargin: Double = 0.01) {
        self.services = services; self.actions = actions
        self.reserveSeconds = reserveSeconds; self.rateMargin = rateMargin
    }

    /// EC2's published bucket for non-mutating actions (100, refilled at 20 per second: "Request
    /// token bucket sizes and refill rates", EC2 developer guide; amigo sends only those).
    /// STS and Organizations publish no per-action buckets; these are conservative guesses
    /// that cost a large organisation a few seconds at most, and throttling is retried anyway.
    public static let aws = PacingLimits(services: [
        "ec2": Bucket(burst: 100, perSecond: 20),
        "sts": Bucket(burst: 100, perSecond: 50),
        "organizations": Bucket(burst: 5, perSecond: 2),
        // Auto Scaling and SSM publish no buckets either; a few listing calls per
        // account×region, so a low guess costs nothing and keeps clear of shared quotas
        // (SSM's GetParameters shares its 40 per second with every other caller in the account).
        "autoscaling": Bucket(burst: 20, perSecond: 10),
        "ssm": Bucket(burst: 10, perSecond: 5),
    ])

    /// These limits with every EC2 refill rate multiplied by `factor` (raised API limits).
    public func scalingEC2(by factor: Double) -> PacingLimits {
        var copy = self
        copy.services["ec2"]?.perSecond *= factor
        for key in copy.actions.keys where key.hasPrefix("ec2:") { copy.actions[key]?.perSecond *= factor }
        return copy
    }

    func bucket(service: String, action: String) -> Bucket? {
        actions["\(service):\(action)"] ?? services[service]
    }
}

/// The client's model of one server-side token bucket. Times are seconds on any monotonic
/// clock. AWS's bucket is full when the first request arrives, and that arrival lies between
/// the client sending it and the exchange ending, often far from either when the server is
/// busy. So the model starts full and credits refill from the first exchange that ended,
/// answered or not (the arrival, if there was one, came before): counting from the send
/// would credit the time the request spent on its way, and a busy server then sees more
/// requests than it has tokens for. Refill never waits on an answer that may never come:
/// from `latestArrival` after the first token was taken it is credited anyway, so a bucket
/// whose every request fails (a dead endpoint) still admits its retries.
///
/// The model takes a token when a request leaves, the server when it arrives. While the
/// server's bucket is full, the refill of a request's time on the way is lost to the server
/// and would be credited by the model, which then runs ahead of the server by the time every
/// such request spent in flight: a scan saw 29 throttling answers at once from buckets the
/// server had at 0.79 tokens, where the model should lag by 2–3. So the model's tokens and
/// its requests in flight together never exceed its capacity: refill is credited only below
/// what the server, full, could still hold once they arrive.
struct TokenBucket: Sendable {
    /// Seconds after a send by which its arrival (if any) is assumed to have happened.
    static let latestArrival = 10.0

    let capacity: Double
    let rate: Double
    private var tokens: Double
    /// Refill is credited up to here; nil until an exchange ended or `latestArrival` passed.
    private var stamp: Double?
    private var firstTake: Double?
    /// When each request in flight took its token, oldest first; one leaves at each end.
    private var inFlight: [Double] = []

    init(_ bucket: PacingLimits.Bucket, reserveSeconds: Double, rateMargin: Double) {
        rate = bucket.perSecond * (1 - rateMargin)
        capacity = max(1, bucket.burst - bucket.perSecond * reserveSeconds)
        tokens = capacity
    }

    private mutating func refill(at now: Double) {
        if stamp == nil, let firstTake, now >= firstTake + Self.latestArrival { stamp = firstTake + Self.latestArrival }
        guard let last = stamp, now > last else { return }
        // A request still in flight after `latestArrival` is taken to have arrived.
        let unarrived = inFlight.count { $0 > now - Self.latestArrival }
        tokens = min(capacity - Double(unarrived), tokens + (now - last) * rate)
        stamp = now
    }

    /// Seconds until a token is there (0: now). Before refill is anchored this is a guess,
    /// and the caller asks again.
    mutating func wait(at now: Double) -> Double {
        refill(at: now)
        return tokens >= 1 ? 0 : (1 - tokens) / rate
    }

    mutating func take(at now: Double) {
        if firstTake == nil { firstTake = now }
        refill(at: now)
        tokens -= 1
        inFlight.append(now)
    }

    /// An exchange ended, with an answer or without one: if the server saw any request, its
    /// bucket has existed at least since now, and this request is no longer on its way.
    mutating func ended(at now: Double) {
        // Credit up to the end before the request stops counting against the capacity.
        refill(at: now)
        anchor(at: now)
        if !inFlight.isEmpty { inFlight.removeFirst() }
    }

    private mutating func anchor(at now: Double) {
        // No answer comes before its request: a stamp that says so is not believed.
        if stamp == nil { stamp = max(now, firstTake ?? now) }
    }

    /// The server said no: whatever the model thought, the bucket is empty now.
    mutating func drain(at now: Double) {
        anchor(at: now)
        refill(at: now)
        tokens = min(tokens, 0)
    }

    var available: Double { tokens }

    /// No request has taken a token yet: the server's bucket may not exist.
    var isUntouched: Bool { firstTake == nil }
}
