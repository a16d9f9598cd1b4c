import AmigoCore
import Foundation

/// Decoders for Organizations JSON 1.1 responses (PascalCase keys).
public enum OrganizationsDecode {
    /// `Account.status` is `State` when present, else the older `Status` (AWS retires
    /// `Status` in September 2026; both use `ACTIVE` and `SUSPENDED`).
    public static func accounts(_ object: [String: Any]) throws -> (accounts: [Account], nextToken: String?) {
        let r = JSONFieldReader(operation: "ListAccounts")
        guard let list = object["Accounts"] as? [Any] else { throw r.fail("response has no Accounts list") }
        var accounts: [Account] = []
        for (n, element) in list.enumerated() {
            let what = "account item \(n + 1)"
            guard let entry = element as? [String: Any] else { throw r.fail("\(what) is not an object") }
            accounts.append(Account(id: try r.required(entry, "Id", what), name: try r.string(entry, "Name", what),
                                    email: try r.string(entry, "Email", what),
                                    status: try r.string(entry, "State", what) ?? r.string(entry, "Status", what)))
        }
        // moto sends `"NextToken": null` on the last page.
        return (accounts, try r.nextToken(object))
    }

    public static func organization(_ object: [String: Any]) throws -> (id: String, arn: String, managementAccountId: String) {
        let r = JSONFieldReader(operation: "DescribeOrganization")
        guard let org = object["Organization"] as? [String: Any] else {
            throw r.fail("response has no Organization object")
        }
        let what = "Organization"
        return (try r.required(org, "Id", what), try r.required(org, "Arn", what),
                try r.required(org, "MasterAccountId", what))
    }

    /// One page of `ListAccountsForParent` or `ListOrganizationalUnitsForParent`: the ids under
    /// `key` (`Accounts` or `OrganizationalUnits`).
    public static func childIds(_ object: [String: Any], operation: String, key: String) throws
        -> (ids: [String], nextToken: String?) {
        let r = JSONFieldReader(operation: operation)
        guard let list = object[key] as? [Any] else { throw r.fail("response has no \(key) list") }
        var ids: [String] = []
        for (n, element) in list.enumerated() {
            guard let entry = element as? [String: Any] else { throw r.fail("\(key) item \(n + 1) is not an object") }
            ids.append(try r.required(entry, "Id", "\(key) item \(n + 1)"))
        }
        return (ids, try r.nextToken(object))
    }
}
