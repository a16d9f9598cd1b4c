import AmigoCore
import Synchronization

/// Where an account×region's images wait, page by page, while their per-image calls are
/// answered: an account×region of n images takes (n − 100) ÷ 20 seconds of launch permission
/// calls, and every account×region of an organisation runs at once, so images kept in memory
/// until then would make a scan's memory grow with the organisation.
public protocol ImageStage: Sendable {
    /// Keeps a page of the listing, in listing order. A stage that cannot keep it remembers
    /// why and says so in `seal`: the listing goes on, and its batch is refused.
    func add(_ page: [Image])
    /// Every page is in: the listing is complete, and the per-image calls are still out. A
    /// stage may now write the images where the batch will find them.
    func listed()
    /// The batch's images: the follow-ups applied to those kept in memory (the listing's
    /// first), and the staging area's reference to the rest, if any were staged.
    func seal(_ followUps: ImageFollowUps) -> (images: [Image], staged: StagedImages?)
    /// Drops what was kept: the account×region failed, or will not be delivered.
    func discard()
}

/// Keeps the images in memory: for sinks that keep the whole batch (tests, tools).
public final class MemoryImageStage: ImageStage {
    private let images = Mutex<[Image]>([])

    public init() {}

    public func add(_ page: [Image]) { images.withLock { $0 += page } }

    public func listed() {}

    public func seal(_ followUps: ImageFollowUps) -> (images: [Image], staged: StagedImages?) {
        (followUps.applied(to: images.withLock { $0 }), nil)
    }

    public func discard() { images.withLock { $0 = [] } }
}
