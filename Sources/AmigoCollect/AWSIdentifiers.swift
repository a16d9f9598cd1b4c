import AmigoCore

/// The formats of the identifiers amigo puts into endpoint host names, role ARNs and the
/// paths of a recording. They come from AWS answers (DescribeRegions, ListAccounts), which a
/// hostile or intercepted answer could fill with `evil.example/x?`: anything else is a scan
/// error, and no request is ever made with it.
enum AWSIdentifier {
    /// `us-east-1`, `ap-southeast-2`, `us-gov-west-1`, `eu-central-2`, `us-isob-east-1`.
    static func isRegion(_ name: String) -> Bool {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard name.utf8.count <= 32, parts.count >= 3, parts[0].count == 2,
              let last = parts.last, (1...2).contains(last.count), last.allSatisfy(\.isASCIIDigit) else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIILowercase) }
    }

    /// Twelve digits (botocore's `AccountId`: `^\d{12}$`).
    static func isAccount(_ id: String) -> Bool {
        id.utf8.count == 12 && id.allSatisfy(\.isASCIIDigit)
    }

    /// `ami-` and 8 or 17 lowercase hex digits: what EC2 issues, and what amigo sends back in
    /// `DescribeImages ImageIds=` and compares across accounts.
    static func isImage(_ id: String) -> Bool { isResource(id, prefix: "ami-") }
    /// `i-` and 8 or 17 lowercase hex digits.
    static func isInstance(_ id: String) -> Bool { isResource(id, prefix: "i-") }
    /// `lt-` and 17 lowercase hex digits (8 accepted, as for the older resource ids).
    static func isLaunchTemplate(_ id: String) -> Bool { isResource(id, prefix: "lt-") }

    private static func isResource(_ id: String, prefix: String) -> Bool {
        guard id.hasPrefix(prefix) else { return false }
        let digits = id.utf8.dropFirst(prefix.utf8.count)
        return (digits.count == 8 || digits.count == 17)
            && digits.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// An SSM parameter name as SSM allows it (`a-zA-Z0-9_.-/`, at most 2048 bytes), so one
    /// named back in `GetParameters` is the parameter that was listed.
    static func isParameterName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 2048 && name.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "/")
        }
    }

    static func invalid(_ what: String, _ value: String, account: String, operation: String) -> ScanError {
        ScanError(accountId: account, region: nil, operation: operation, code: "InvalidIdentifier",
                  message: "\(operation) answered \(what) \(UntrustedText.quoted(value)), which is not one; it was not used")
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIILowercase: Bool { isASCII && isLowercase }
}
