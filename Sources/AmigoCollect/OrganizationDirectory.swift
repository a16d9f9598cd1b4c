import AmigoAWS
import AmigoCore

/// The organisation as its management account sees it: identity and every account.
struct OrganizationDirectory: Sendable {
    static let target = "AWSOrganizationsV20161128"
    let client: AWSClient
    let credentials: any CredentialProvider
    let region: String

    func read() async throws(AWSError) -> (Organization, [Account]) {
        let described = try await client.json(.organizations, region: region, target: Self.target,
                                               action: "DescribeOrganization", credentials: credentials)
        let identity: (id: String, arn: String, managementAccountId: String)
        do { identity = try OrganizationsDecode.organization(described) } catch {
            throw malformed("organizations", "DescribeOrganization", region, error)
        }
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
        let organization = Organization(id: identity.id, arn: identity.arn,
                                        managementAccountId: identity.managementAccountId,
                                        memberAccountIds: Set(accounts.map(\.id)))
        return (organization, accounts.sorted { $0.id < $1.id })
    }
}
