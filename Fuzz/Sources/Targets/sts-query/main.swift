// STS Query responses and Query error bodies (EC2's `<Response><Errors>` and STS's
// `<ErrorResponse>`), which arrive on any failed call.
@testable import AmigoAWS
import AmigoCollect
import FuzzHarness

fuzz { data in
    _ = ErrorBody.query(data)
    guard let root = try? XMLDocument.parse(data) else { return }
    _ = try? STSDecode.credentials(root)
    _ = try? STSDecode.callerIdentity(root)
}
