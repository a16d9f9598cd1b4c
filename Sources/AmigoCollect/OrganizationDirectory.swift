import AmigoAWS
import AmigoCore

/// The organisation as its management account sees it: identity and every account.
struct OrganizationDirectory: Sendable {
    static let target = "AWSOrganizationsV20161128"
    let client: AWSClient
    let credentials: any CredentialProvider
    let region: String

    func read() async throws(AWSError) -> (Organization, [Account]) {
        // The organisation's identity and its account list do not depend on each other.
        async let described = result { () async throws(AWSError) in try await describeOrganization() }
        let accounts = try await listAccounts()
        let identity = try await described.get()
        let organization = Organization(id: identity.id, arn: identity.arn,
                                        managementAccountId: identity.managementAccountId,
                                        memberAccountIds: Set(accounts.map(\.id)))
        return (organization, accounts.sorted { $0.id < $1.id })
    }

    private func describeOrganization() async throws(AWSError) -> OrganizationIdentity {
        let described = try await client.json(.organizations, region: region, target: Self.target,
                                               action: "DescribeOrganization", credentials: credentials)
        do {
            let (id, arn, managementAccountId) = try OrganizationsDecode.organization(described)
            return OrganizationIdentity(id: id, arn: arn, managementAccountId: managementAccountId)
        } catch {
            throw malformed("organizations", "DescribeOrganization", region, error)
        }
    }

    private func listAccounts() async throws(AWSError) -> [Account] {
        var accounts: [Account] = []
        var token: String?
        repeat {
            var body: [String: any Sendable] = [:]
            if let token { body["NextToken"] = token }
            let page = try await client.json(.organizations, region: region, target: Self.target,
                                             action: "ListAccounts", body: body, credentials: credentials)
            do {
                let decoded = try OrganizationsDecode.accounts(page)
                accounts += decoded.accounts
                token = decoded.nextToken
            } catch {
                throw malformed("organizations", "ListAccounts", region, error)
            }
        } while token != nil
        return accounts
    }

    /// Every account under these OUs (or roots), however deep: ListAccountsForParent and
    /// ListOrganizationalUnitsForParent, walked breadth first.
    func accountIds(under parents: [String]) async throws(AWSError) -> Set<String> {
        var ids: Set<String> = []
        var queue = parents
        var seen: Set<String> = []
        while let parent = queue.popLast() {
            guard seen.insert(parent).inserted else { continue }
            for account in try await pages("ListAccountsForParent", parent: parent, key: "Accounts") {
                if let id = account["Id"] as? String { ids.insert(id) }
            }
            for unit in try await pages("ListOrganizationalUnitsForParent", parent: parent, key: "OrganizationalUnits") {
                if let id = unit["Id"] as? String { queue.append(id) }
            }
        }
        return ids
    }

    private func pages(_ action: String, parent: String, key: String) async throws(AWSError) -> [[String: Any]] {
        var items: [[String: Any]] = []
        var token: String?
        repeat {
            var body: [String: any Sendable] = ["ParentId": parent]
            if let token { body["NextToken"] = token }
            let page = try await client.json(.organizations, region: region, target: Self.target,
                                             action: action, body: body, credentials: credentials)
            guard let list = page[key] as? [[String: Any]] else {
                throw malformed("organizations", action, region, DecodeError(operation: action, message: "response has no \(key) list"))
            }
            items += list
            token = (page["NextToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return items
    }
}

struct OrganizationIdentity: Sendable {
    var id: String
    var arn: String
    var managementAccountId: String
}
