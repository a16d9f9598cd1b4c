import AmigoAWS
import AmigoCore
import Foundation

/// Decoders for STS Query responses (`<XResponse><XResult>…`, PascalCase element names).
/// AssumeRole answers are read by the credential providers that ask for them (AmigoAWS).
public enum STSDecode {
    public static func callerIdentity(_ root: XMLNode) throws -> (account: String, arn: String) {
        let r = FieldReader(operation: "GetCallerIdentity")
        try r.expectRoot(root)
        guard let result = root.child("GetCallerIdentityResult") else {
            throw r.fail("response has no GetCallerIdentityResult")
        }
        return (try r.required(result, "Account", "GetCallerIdentityResult"),
                try r.required(result, "Arn", "GetCallerIdentityResult"))
    }
}
