import Foundation

public enum Service: String, Sendable, Hashable, CaseIterable {
    /// `sso` is the IAM Identity Center portal, called for an SSO profile's role credentials.
    /// `autoscaling` (Query) and `ssm` (JSON 1.1) are read for the workloads that launch images.
    case ec2, sts, organizations, sso, autoscaling, ssm
    var apiVersion: String {
        switch self {
        case .ec2: "2016-11-15"
        case .sts: "2011-06-15"
        case .organizations: "2016-11-28"
        case .sso: "2019-06-10"
        case .autoscaling: "2011-01-01"
        case .ssm: "2014-11-06"
        }
    }
    /// JSON 1.1 services name an action in `X-Amz-Target` as `<prefix>.<action>`.
    var jsonTargetPrefix: String? {
        switch self {
        case .organizations: "AWSOrganizationsV20161128"
        case .ssm: "AmazonSSM"
        default: nil
        }
    }

    /// The service's key in configured endpoints (botocore's service id, snake-cased):
    /// `AWS_ENDPOINT_URL_<KEY>` and a `[services]` section's `<key> =`.
    var configurationKey: String { self == .autoscaling ? "auto_scaling" : rawValue }

    /// The first label of the service's host names (botocore's `endpointPrefix`).
    var hostPrefix: String { self == .sso ? "portal.sso" : rawValue }
}

/// Where each service lives. `override` sends every service to one URL and
/// `serviceOverrides` one service, as the AWS CLI's configured endpoints do
/// (`EndpointConfiguration` decides which wins). Without one, the host follows botocore's
/// endpoint rules, with FIPS and dual-stack variants.
public struct Endpoints: Sendable, Hashable {
    public var override: URL?
    public var serviceOverrides: [Service: URL]
    public var useFIPS: Bool
    public var useDualStack: Bool

    public init(override: URL? = nil, serviceOverrides: [Service: URL] = [:],
                useFIPS: Bool = false, useDualStack: Bool = false) {
        self.override = override; self.serviceOverrides = serviceOverrides
        self.useFIPS = useFIPS; self.useDualStack = useDualStack
    }

    public static func partition(of region: String) -> Partition {
        if region.hasPrefix("cn-") { return .china }
        if region.hasPrefix("us-gov-") { return .govCloud }
        return .aws
    }

    public func url(_ service: Service, region: String) -> URL {
        if let u = serviceOverrides[service] ?? override { return u }
        let (host, _) = standardHost(service, region: region)
        return URL(string: "https://\(host)")!
    }

    /// The region a request is signed for: Organizations' global endpoint is signed in its
    /// home region; every regional endpoint in its own.
    public func signingRegion(_ service: Service, region: String) -> String {
        if serviceOverrides[service] ?? override != nil {
            return service == .organizations ? Self.partition(of: region).organizationsRegion : region
        }
        return standardHost(service, region: region).signingRegion
    }

    /// botocore's rule sets for these services, reduced: GovCloud's FIPS endpoints are
    /// its standard hosts; Organizations is global except with dual-stack, or FIPS in China.
    private func standardHost(_ service: Service, region: String) -> (host: String, signingRegion: String) {
        let partition = Self.partition(of: region)
        let suffix = useDualStack ? partition.dualStackDNSSuffix : partition.dnsSuffix
        let fipsLabel = useFIPS && (useDualStack || partition != .govCloud) ? "-fips" : ""
        if service == .organizations && !useDualStack && !(useFIPS && partition == .china) {
            let home = partition.organizationsRegion
            return ("organizations\(fipsLabel).\(home).\(suffix)", home)
        }
        return ("\(service.hostPrefix)\(fipsLabel).\(region).\(suffix)", region)
    }
}

public enum Partition: String, Sendable, Hashable {
    case aws, china = "aws-cn", govCloud = "aws-us-gov"
    public var dnsSuffix: String { self == .china ? "amazonaws.com.cn" : "amazonaws.com" }
    public var dualStackDNSSuffix: String { self == .china ? "api.amazonwebservices.com.cn" : "api.aws" }
    public var organizationsRegion: String {
        switch self {
        case .aws: "us-east-1"
        case .china: "cn-northwest-1"
        case .govCloud: "us-gov-west-1"
        }
    }
    public var defaultRegion: String { self == .aws ? "us-east-1" : organizationsRegion }
}
