import AmigoCore

/// Why a paginated listing stopped before its last page. What the pages before held is kept;
/// the stop itself is a scan error, so a listing cut short never passes for a complete one.
public struct PaginationStop: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable {
        /// A page answered with a `NextToken` already sent: the listing would never end.
        case repeatedToken = "RepeatedNextToken"
        /// More pages than any real listing has (`CollectionPlan.pageLimit`).
        case pageLimit = "PageLimitExceeded"
    }
    public var operation: String
    public var reason: Reason
    public var pages: Int

    public var description: String {
        switch reason {
        case .repeatedToken:
            "\(operation) answered page \(pages) with a NextToken it had already sent; stopped after \(pages) page(s), keeping what they held"
        case .pageLimit:
            "\(operation) had more than \(pages) pages; stopped there, keeping what they held"
        }
    }

    func scanError(account: String, region: String?) -> ScanError {
        ScanError(accountId: account, region: region, operation: operation, code: reason.rawValue, message: description)
    }
}

/// The one pagination loop every listing uses (images, snapshots, instances, launch templates,
/// Organizations): asks for pages until one has no token, and stops on a token it already sent
/// or past `limit` pages, so a hostile or broken endpoint cannot keep a scan asking for ever.
struct Paginator: Sendable {
    let operation: String
    let limit: Int

    /// `page` fetches and consumes the page for a token (nil: the first) and returns the next
    /// token. Returns nil when the listing ended, or why it was stopped.
    func walk<E: Error>(_ page: (String?) async throws(E) -> String?) async throws(E) -> PaginationStop? {
        var sent: Set<String> = []
        var token: String?
        var pages = 0
        repeat {
            if pages == limit { return PaginationStop(operation: operation, reason: .pageLimit, pages: pages) }
            token = try await page(token)
            pages += 1
            if let next = token, !sent.insert(next).inserted {
                return PaginationStop(operation: operation, reason: .repeatedToken, pages: pages)
            }
        } while token != nil
        return nil
    }
}
