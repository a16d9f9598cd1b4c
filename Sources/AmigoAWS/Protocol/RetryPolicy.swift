import Foundation
import Synchronization

/// Full-jitter exponential backoff (the AWS SDKs' "standard" mode) with a shared retry
/// budget, so a region that is down cannot turn one scan into an hours-long retry storm.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// Seconds one call may take, all attempts and backoff included (`Timeouts.call`).
    public var deadline: Double
    public let budget: RetryBudget

    public init(maxAttempts: Int = 8, baseDelay: Double = 0.2, maxDelay: Double = 20,
                deadline: Double = Timeouts.standard.call, budget: RetryBudget = RetryBudget(tokens: 5_000)) {
        self.maxAttempts = maxAttempts; self.baseDelay = baseDelay; self.maxDelay = maxDelay
        self.deadline = deadline; self.budget = budget
    }

    /// This policy with a retry budget of its own.
    public func withBudget(_ budget: RetryBudget) -> RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, baseDelay: baseDelay, maxDelay: maxDelay, deadline: deadline, budget: budget)
    }

    /// Seconds to wait before attempt `attempt + 1` (attempt counts from 1): uniform in
    /// [0, min(maxDelay, baseDelay·2^(attempt−1))]; a server's Retry-After raises that
    /// floor, still capped at `maxDelay` so one header cannot stall a scan.
    public func delay(afterAttempt attempt: Int, retryAfter: Double? = nil) -> Double {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(min(attempt, 62) - 1)))
        let jittered = ceiling > 0 ? Double.random(in: 0...ceiling) : 0
        if let retryAfter { return min(maxDelay, max(retryAfter, jittered)) }
        return jittered
    }

    /// `Retry-After` as seconds or as an HTTP date.
    public static func retryAfter(_ header: String?, now: Date) -> Double? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Double(header) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: header).map { max(0, $0.timeIntervalSince(now)) }
    }
}

/// Retries a whole scan may spend; each retry takes one token.
public final class RetryBudget: Sendable {
    private let remaining: Mutex<Int>
    public init(tokens: Int) { remaining = Mutex(tokens) }
    public func take() -> Bool {
        remaining.withLock { n in
            guard n > 0 else { return false }
            n -= 1
            return true
        }
    }
}

/// Counters for progress lines and the closing summary.
public final class RequestStats: Sendable {
    public struct Snapshot: Sendable, Hashable {
        public var requests = 0, retries = 0, throttled = 0, failures = 0
        /// Seconds spent backing off before retries.
        public var backoffSeconds = 0.0
        public var byAction: [String: Int] = [:]
    }
    private let state = Mutex(Snapshot())
    public init() {}
    public var snapshot: Snapshot { state.withLock { $0 } }
    func request(_ action: String) { state.withLock { $0.requests += 1; $0.byAction[action, default: 0] += 1 } }
    func retry(throttled: Bool, wait: Double = 0) {
        state.withLock { $0.retries += 1; $0.backoffSeconds += wait; if throttled { $0.throttled += 1 } }
    }
    func failure() { state.withLock { $0.failures += 1 } }
}
