import AmigoAWS
import AmigoCore
import Foundation

/// Decoders for STS Query responses (`<XResponse><XResult>…`, PascalCase element names).
public enum STSDecode {
    /// `AssumeRole` and `AssumeRoleWithWebIdentity`.
    public static func credentials(_ root: XMLNode) throws -> Credentials {
        let operation = root.name.hasSuffix("Response") ? String(root.name.dropLast("Response".count)) : root.name
        let r = FieldReader(operation: operation)
        guard operation == "AssumeRole" || operation == "AssumeRoleWithWebIdentity" else {
            throw r.fail("unexpected root element <\(UntrustedText.quoted(root.name))>, expected <AssumeRoleResponse> or <AssumeRoleWithWebIdentityResponse>")
        }
        guard let c = root.at("\(operation)Result", "Credentials") else {
            throw r.fail("response has no \(operation)Result/Credentials")
        }
        return Credentials(accessKeyId: try r.required(c, "AccessKeyId", "Credentials"),
                           secretAccessKey: try r.required(c, "SecretAccessKey", "Credentials"),
                           sessionToken: try r.required(c, "SessionToken", "Credentials"),
                           expiration: try r.date(c, "Expiration", "Credentials"))
    }

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
