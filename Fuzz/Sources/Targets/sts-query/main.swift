// STS Query responses (AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity) and Query
// error bodies (EC2's `<Response><Errors>`, STS's `<ErrorResponse>`), which any failed call gets.
@testable import AmigoAWS
import AmigoCollect
import FuzzHarness

fuzz { data in
    _ = ErrorBody.query(data)
    guard let root = try? XMLDocument.parse(data) else { return }
    _ = try? STSCredentials.parse(root, result: "AssumeRoleResult", action: "AssumeRole")
    _ = try? STSCredentials.parse(root, result: "AssumeRoleWithWebIdentityResult", action: "AssumeRoleWithWebIdentity")
    _ = try? STSDecode.callerIdentity(root)
}
