import Foundation

/// Caches credentials from `fetch` and fetches anew `refreshAhead` seconds before they expire.
/// Concurrent callers during a refresh share one fetch (single flight).
public actor RefreshingCredentialProvider: CredentialProvider {
    private let fetch: @Sendable () async throws -> Credentials
    private let refreshAhead: Double
    private let now: @Sendable () -> Date
    private var cached: Credentials?
    private var inFlight: Task<Credentials, any Error>?

    public init(refreshAhead: Double = 300, now: @escaping @Sendable () -> Date = { Date() },
                fetch: @escaping @Sendable () async throws -> Credentials) {
        self.fetch = fetch; self.refreshAhead = refreshAhead; self.now = now
    }

    public func credentials() async throws -> Credentials {
        if let cached, !needsRefresh(cached) { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await fetch() }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh
    }

    private func needsRefresh(_ c: Credentials) -> Bool {
        guard let expiration = c.expiration else { return false }
        return expiration.timeIntervalSince(now()) < refreshAhead
    }
}
