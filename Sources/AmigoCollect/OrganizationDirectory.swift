import AmigoAWS
import AmigoCore

/// The organisation as its management account sees it: identity and every account.
struct OrganizationDirectory: Sendable {
    static let describeOrganization = AWSAction(.organizations, "DescribeOrganization")!
    static let listAccounts = AWSAction(.organizations, "ListAccounts")!
    static let listAccountsForParent = AWSAction(.organizations, "ListAccountsForParent")!
    static let listOrganizationalUnitsForParent = AWSAction(.organizations, "ListOrganizationalUnitsForParent")!
    let client: AWSClient
    let credentials: any CredentialProvider
    let region: String

    let pageLimit: Int

    /// The organisation and its accounts, with the scan errors of what could not be used: a
    /// listing that had to be stopped (the accounts before are kept), an id that is no account id.
    func read() async throws(AWSError) -> (Organization, [Account], [ScanError]) {
        // The organisation's identity and its account list do not depend on each other.
        async let described = result { () async throws(AWSError) in try await describeOrganization() }
        let (listed, errors) = try await listAccounts()
        let identity = try await described.get()
        let organization = Organization(id: identity.id, arn: identity.arn,
                                        managementAccountId: identity.managementAccountId,
                                        memberAccountIds: Set(listed.map(\.id)))
        return (organization, listed.sorted { $0.id < $1.id }, errors)
    }

    private func describeOrganization() async throws(AWSError) -> OrganizationIdentity {
        let described = try await client.json(Self.describeOrganization, region: region, credentials: credentials)
        do {
            let (id, arn, managementAccountId) = try OrganizationsDecode.organization(described)
            return OrganizationIdentity(id: id, arn: arn, managementAccountId: managementAccountId)
        } catch {
            throw malformed("organizations", "DescribeOrganization", region, error)
        }
    }

    private func listAccounts() async throws(AWSError) -> ([Account], [ScanError]) {
        var accounts: [Account] = []
        var seen: Set<String> = []
        var errors: [ScanError] = []
        let stop = try await pages(Self.listAccounts, [:]) { page throws(AWSError) in
            let decoded = try decode("ListAccounts") { try OrganizationsDecode.accounts(page) }
            for account in decoded.accounts {
                if AWSIdentifier.isAccount(account.id) {
                    // A listing that repeats itself must not scan an account twice.
                    if seen.insert(account.id).inserted { accounts.append(account) }
                } else {
                    errors.append(AWSIdentifier.invalid("account id", account.id, account: "*",
                                                        operation: "organizations:ListAccounts"))
                }
            }
            return decoded.nextToken
        }
        if let stop { errors.append(stop.scanError(account: "*", region: nil)) }
        return (accounts, errors)
    }

    /// Every account under these OUs (or roots), however deep: ListAccountsForParent and
    /// ListOrganizationalUnitsForParent, walked breadth first.
    func accountIds(under parents: [String]) async throws(AWSError) -> (Set<String>, [ScanError]) {
        var ids: Set<String> = []
        var errors: [ScanError] = []
        var queue = parents
        var seen: Set<String> = []
        while let parent = queue.popLast() {
            guard seen.insert(parent).inserted else { continue }
            for (action, key) in [(Self.listAccountsForParent, "Accounts"), (Self.listOrganizationalUnitsForParent, "OrganizationalUnits")] {
                let stop = try await pages(action, ["ParentId": parent]) { page throws(AWSError) in
                    let decoded = try decode(action.name) { try OrganizationsDecode.childIds(page, operation: action.name, key: key) }
                    if key == "Accounts" { ids.formUnion(decoded.ids) } else { queue += decoded.ids }
                    return decoded.nextToken
                }
                if let stop { errors.append(stop.scanError(account: "*", region: nil)) }
            }
        }
        return (ids, errors)
    }

    /// One Organizations listing through the one `Paginator`; `add` reads a page and returns its
    /// next token.
    private func pages(_ action: AWSAction, _ base: [String: any Sendable],
                       _ add: ([String: Any]) throws(AWSError) -> String?) async throws(AWSError) -> PaginationStop? {
        try await Paginator(operation: action.iamName, limit: pageLimit).walk { token throws(AWSError) in
            var body = base
            if let token { body["NextToken"] = token }
            return try add(try await client.json(action, region: region, body: body, credentials: credentials))
        }
    }

    private func decode<T>(_ action: String, _ body: () throws -> T) throws(AWSError) -> T {
        do { return try body() } catch { throw malformed("organizations", action, region, error) }
    }
}

struct OrganizationIdentity: Sendable {
    var id: String
    var arn: String
    var managementAccountId: String
}
