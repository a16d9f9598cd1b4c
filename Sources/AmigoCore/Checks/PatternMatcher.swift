import Foundation

/// A tag-value regex compiled once at load time, with its answers cached per distinct value:
/// a million images carry few distinct owners, and a regex search costs far more than a
/// lookup. The cache is striped so parallel evaluation rarely waits on one lock, and bounded
/// so attacker-chosen unique values cannot grow it without limit (they are matched uncached).
final class PatternMatcher: @unchecked Sendable {
    // Safe to share: `regex` is immutable after init, every stripe's dictionary is guarded by its lock.
    let pattern: String
    private let regex: Regex<AnyRegexOutput>
    private let stripes: [Stripe]
    private static let stripeCount = 16
    private static let maxEntriesPerStripe = 4_096

    private final class Stripe {
        let lock = NSLock()
        var answers: [String: Bool] = [:]
    }

    init(_ pattern: String) throws {
        self.pattern = pattern
        self.regex = try Regex(pattern)
        self.stripes = (0..<Self.stripeCount).map { _ in Stripe() }
    }

    func matches(_ value: String) -> Bool {
        let stripe = stripes[Int(UInt(bitPattern: value.hashValue) % UInt(Self.stripeCount))]
        stripe.lock.lock()
        let cached = stripe.answers[value]
        stripe.lock.unlock()
        if let cached { return cached }
        let answer = (try? regex.firstMatch(in: value)) != nil
        stripe.lock.lock()
        if stripe.answers.count < Self.maxEntriesPerStripe { stripe.answers[value] = answer }
        stripe.lock.unlock()
        return answer
    }
}
