// Organizations JSON 1.1 responses and JSON error bodies, decoded as AWSClient.json does.
@testable import AmigoAWS
@testable import AmigoCollect
import Foundation
import FuzzHarness

fuzz { data in
    _ = ErrorBody.json(data, headers: ["x-amzn-errortype": "Fallback:http://internal.amazon.com/"])
    guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return }
    // Account ids become role ARNs and recording paths: the validator sees what got through.
    for account in (try? OrganizationsDecode.accounts(object))?.accounts ?? [] { _ = AWSIdentifier.isAccount(account.id) }
    _ = try? OrganizationsDecode.childIds(object, operation: "ListAccountsForParent", key: "Accounts")
    _ = try? OrganizationsDecode.childIds(object, operation: "ListOrganizationalUnitsForParent", key: "OrganizationalUnits")
    _ = try? OrganizationsDecode.organization(object)
}
