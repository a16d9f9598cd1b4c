// Organizations JSON 1.1 responses and JSON error bodies, decoded as AWSClient.json does.
@testable import AmigoAWS
import AmigoCollect
import Foundation
import FuzzHarness

fuzz { data in
    _ = ErrorBody.json(data, headers: ["x-amzn-errortype": "Fallback:http://internal.amazon.com/"])
    guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return }
    _ = try? OrganizationsDecode.accounts(object)
    _ = try? OrganizationsDecode.organization(object)
}
