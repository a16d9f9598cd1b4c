import Foundation

public enum Service: String, Sendable, Hashable, CaseIterable {
    case ec2, sts, organizations
    var apiVersion: String {
        switch self {
        case .ec2: "2016-11-15"
        case .sts: "2011-06-15"
        case .organizations: "2016-11-28"
        }
    }
    /// JSON 1.1 services name an action in `X-Amz-Target` as `<prefix>.<action>`.
    var jsonTargetPrefix: String? {
        self == .organizations ? "AWSOrganizationsV20161128" : nil
    }
}

/// Where each service lives. `override` (from `--endpoint-url` or `AWS_ENDPOINT_URL`) sends
/// every service to one URL, as the AWS CLI does; per-service `AWS_ENDPOINT_URL_<SERVICE>`
/// variables win over it.
public struct Endpoints: Sendable, Hashable {
    public var override: URL?
    public var serviceOverrides: [Service: URL]

    public init(override: URL? = nil, serviceOverrides: [Service: URL] = [:]) {
        self.override = override; self.serviceOverrides = serviceOverrides
    }

    public static func fromEnvironment(_ env: [String: String], flag: URL? = nil) -> Endpoints {
        var services: [Service: URL] = [:]
        for service in Service.allCases {
            if let s = env["AWS_ENDPOINT_URL_\(service.rawValue.uppercased())"], let u = URL(string: s) {
                services[service] = u
            }
        }
        let global = flag ?? env["AWS_ENDPOINT_URL"].flatMap { $0.isEmpty ? nil : URL(string: $0) }
        return Endpoints(override: global, serviceOverrides: services)
    }

    public static func partition(of region: String) -> Partition {
        if region.hasPrefix("cn-") { return .china }
        if region.hasPrefix("us-gov-") { return .govCloud }
        return .aws
    }

    public func url(_ service: Service, region: String) -> URL {
        if let u = serviceOverrides[service] ?? override { return u }
        let partition = Self.partition(of: region)
        switch service {
        case .organizations:
            return URL(string: "https://organizations.\(partition.organizationsRegion).\(partition.dnsSuffix)")!
        case .ec2, .sts:
            return URL(string: "https://\(service.rawValue).\(region).\(partition.dnsSuffix)")!
        }
    }

    /// The region a request is signed for: Organizations is global, signed in its home region.
    public func signingRegion(_ service: Service, region: String) -> String {
        service == .organizations ? Self.partition(of: region).organizationsRegion : region
    }
}

public enum Partition: String, Sendable, Hashable {
    case aws, china = "aws-cn", govCloud = "aws-us-gov"
    public var dnsSuffix: String { self == .china ? "amazonaws.com.cn" : "amazonaws.com" }
    public var organizationsRegion: String {
        switch self {
        case .aws: "us-east-1"
        case .china: "cn-northwest-1"
        case .govCloud: "us-gov-west-1"
        }
    }
    public var defaultRegion: String { self == .aws ? "us-east-1" : organizationsRegion }
}
