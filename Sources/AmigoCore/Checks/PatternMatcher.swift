import CRE2Shim
import Foundation

/// A regular expression in RE2's syntax, compiled once, whose search costs time linear in the
/// value: tag values are chosen by whoever can tag an image, and a backtracking engine lets one
/// 20-character value stall the CI gate for a minute (`^(a+)+$`). Features that need
/// backtracking (backreferences, lookaround) do not compile, so a policy using them is
/// rejected when it is loaded, with RE2's message.
///
/// Matching is a search, as Swift's `Regex.firstMatch` was: the value must contain a match;
/// anchor with `^` and `$` to match the whole value. `$` matches only at the very end (not
/// before a final newline), `.` does not match a newline, and the value is read as Unicode
/// scalars (one per code point, not per grapheme cluster).
public final class LinearRegex: @unchecked Sendable {
    // Safe to share: the compiled RE2 is immutable, and RE2 allows concurrent searches.
    public let pattern: String
    private let compiled: OpaquePointer

    public struct SyntaxError: Error, CustomStringConvertible, Sendable {
        /// RE2's own words, e.g. "invalid perl operator: (?<".
        public var description: String
    }

    public init(_ pattern: String) throws(SyntaxError) {
        var error: UnsafeMutablePointer<CChar>?
        var bytes = pattern
        let compiled = bytes.withUTF8 { cre2_compile($0.baseAddress, $0.count, &error) }
        guard let compiled else {
            defer { cre2_free_error(error) }
            throw SyntaxError(description: error.map { String(cString: $0) } ?? "out of memory compiling the pattern")
        }
        self.pattern = pattern
        self.compiled = compiled
    }

    deinit { cre2_free(compiled) }

    /// Whether `value` contains a match. RE2 running out of memory counts as no match: the
    /// check then reports the value rather than pass it unverified.
    public func search(_ value: String) -> Bool {
        var bytes = value
        return bytes.withUTF8 { cre2_search(compiled, $0.baseAddress, $0.count) } == 1
    }
}

/// A tag-value pattern with its answers cached per distinct value: a million images carry few
/// distinct owners, and even a linear search costs far more than a lookup. The cache is striped
/// so parallel evaluation rarely waits on one lock, and bounded so attacker-chosen unique
/// values cannot grow it without limit (they are matched uncached).
final class PatternMatcher: @unchecked Sendable {
    // Safe to share: `regex` is immutable and thread-safe, every stripe's dictionary is guarded by its lock.
    private let regex: LinearRegex
    private let stripes: [Stripe]
    private static let stripeCount = 16
    private static let maxEntriesPerStripe = 4_096

    var pattern: String { regex.pattern }

    private final class Stripe {
        let lock = NSLock()
        var answers: [String: Bool] = [:]
    }

    init(_ pattern: String) throws(LinearRegex.SyntaxError) {
        self.regex = try LinearRegex(pattern)
        self.stripes = (0..<Self.stripeCount).map { _ in Stripe() }
    }

    func matches(_ value: String) -> Bool {
        let stripe = stripes[Int(UInt(bitPattern: value.hashValue) % UInt(Self.stripeCount))]
        stripe.lock.lock()
        let cached = stripe.answers[value]
        stripe.lock.unlock()
        if let cached { return cached }
        let answer = regex.search(value)
        stripe.lock.lock()
        if stripe.answers.count < Self.maxEntriesPerStripe { stripe.answers[value] = answer }
        stripe.lock.unlock()
        return answer
    }
}

extension CheckParameters {
    /// A list of RE2 patterns, each compiled once; one RE2 rejects is an error at its entry.
    func patterns(_ key: String) throws -> [PatternMatcher] {
        var matchers: [PatternMatcher] = []
        for (i, pattern) in (try strings(key) ?? []).enumerated() {
            do { matchers.append(try PatternMatcher(pattern)) } catch {
                let node = location(key)?.sequence.map { Array($0)[i] }
                throw self.error("'\(key)' entry '\(pattern)' is not a valid RE2 regular expression: \(error)", at: node)
            }
        }
        return matchers
    }
}
