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

    static func invalid(_ what: String, _ value: String, account: String, operation: String) -> ScanError {
        ScanError(accountId: account, region: nil, operation: operation, code: "InvalidIdentifier",
                  message: "\(operation) answered \(what) \(UntrustedText.quoted(value)), which is not one; it was not used")
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIILowercase: Bool { isASCII && isLowercase }
}
