import AmigoCore
import Foundation

/// Decoders for Organizations JSON 1.1 responses (PascalCase keys).
public enum OrganizationsDecode {
    /// `Account.status` is `State` when present, else the older `Status` (AWS retires
    /// `Status` in September 2026; both use `ACTIVE` and `SUSPENDED`).
    public static func accounts(_ object: [String: Any]) throws -> (accounts: [Account], nextToken: String?) {
        let operation = "ListAccounts"
        guard let list = object["Accounts"] as? [Any] else {
            throw DecodeError(operation: operation, message: "response has no Accounts list")
        }
        var accounts: [Account] = []
        for (n, element) in list.enumerated() {
            guard let entry = element as? [String: Any] else {
                throw DecodeError(operation: operation, message: "account item \(n + 1) is not an object")
            }
            guard let id = entry["Id"] as? String, !id.isEmpty else {
                throw DecodeError(operation: operation, message: "account item \(n + 1) has no Id")
            }
            accounts.append(Account(id: id, name: entry["Name"] as? String, email: entry["Email"] as? String,
                                    status: (entry["State"] as? String) ?? (entry["Status"] as? String)))
        }
        // moto sends `"NextToken": null` on the last page.
        let token = (object["NextToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        return (accounts, token)
    }

    public static func organization(_ object: [String: Any]) throws -> (id: String, arn: String, managementAccountId: String) {
        let operation = "DescribeOrganization"
        guard let org = object["Organization"] as? [String: Any] else {
            throw DecodeError(operation: operation, message: "response has no Organization object")
        }
        func required(_ key: String) throws -> String {
            guard let value = org[key] as? String, !value.isEmpty else {
                throw DecodeError(operation: operation, message: "Organization has no \(key)")
            }
            return value
        }
        return (try required("Id"), try required("Arn"), try required("MasterAccountId"))
    }
}
