/// One AWS API action amigo sends, declared once as a value next to the code that sends it:
/// the same value makes the call and names the IAM action `amigo permissions` prints.
///
/// Read-only by construction: there is no value for an action outside the allow-list (EC2
/// `Describe*`/`Get*`, Organizations `List*`/`Describe*`, STS `AssumeRole*` and
/// `GetCallerIdentity`, the Identity Center portal's `GetRoleCredentials`, Auto Scaling
/// `Describe*`, SSM `DescribeParameters`/`GetParameters`), and `AWSClient` takes nothing else, so no code path can send a
/// write, whatever a caller passes.
public struct AWSAction: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let service: Service
    public let name: String

    /// nil for an action amigo must never send.
    public init?(_ service: Service, _ name: String) {
        guard Self.isReadOnly(service, name) else { return nil }
        self.service = service; self.name = name
    }

    /// `ec2:DescribeImages`: the service prefixes amigo uses are their IAM prefixes.
    public var iamName: String { "\(service.rawValue):\(name)" }
    public var description: String { iamName }

    public static func < (a: AWSAction, b: AWSAction) -> Bool { a.iamName < b.iamName }

    /// The allow-list. Names are plain ASCII words, so none can smuggle a second action into a
    /// form field or a header.
    static func isReadOnly(_ service: Service, _ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            return false
        }
        func verb(_ prefix: String) -> Bool {
            guard name.hasPrefix(prefix), let next = name.dropFirst(prefix.count).first else { return false }
            return next.isUppercase
        }
        switch service {
        case .ec2: return verb("Describe") || verb("Get")
        case .organizations: return verb("List") || verb("Describe")
        case .sts: return name == "GetCallerIdentity" || name == "AssumeRole" || verb("AssumeRole")
        // IAM Identity Center's portal: role credentials for a signed-in user, nothing else.
        case .sso: return name == "GetRoleCredentials"
        case .autoscaling: return verb("Describe")
        // Only the two calls that list AMI-valued parameters: `GetParameter*` can read
        // SecureString secrets, so nothing broader is allowed, and no call asks to decrypt.
        case .ssm: return name == "DescribeParameters" || name == "GetParameters"
        }
    }
}
