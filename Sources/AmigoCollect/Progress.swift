import Synchronization

/// Counters the collectors bump as they go; the progress display reads them.
public final class Progress: Sendable {
    public struct Counts: Sendable, Hashable {
        public var accounts = 0
        public var regionsPlanned = 0
        public var regionsDone = 0
        public var images = 0
        public var errors = 0
    }
    private let counts = Mutex(Counts())
    public init() {}

    public var snapshot: Counts { counts.withLock { $0 } }
    func accountsFound(_ n: Int) { counts.withLock { $0.accounts += n } }
    func regionsFound(_ n: Int) { counts.withLock { $0.regionsPlanned += n } }
    func imagesFound(_ n: Int) { counts.withLock { $0.images += n } }
    func regionDone(images: Int, errors: Int) { counts.withLock { $0.regionsDone += 1 } }
    func error() { counts.withLock { $0.errors += 1 } }
}
