import Foundation

/// Endpoints as the AWS CLI configures them. The URL for a service is the first of:
/// `--endpoint-url`; `AWS_ENDPOINT_URL_<SERVICE>`; `AWS_ENDPOINT_URL`; the service's
/// `endpoint_url` in the `[services name]` section the profile names with `services = name`;
/// the profile's own `endpoint_url`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
/// `ignore_configured_endpoint_urls`) leaves only the flag. FIPS and dual-stack hosts come from
/// `AWS_USE_FIPS_ENDPOINT`/`AWS_USE_DUALSTACK_ENDPOINT`, else the profile's
/// `use_fips_endpoint`/`use_dualstack_endpoint`.
public enum EndpointConfiguration {
    public static func resolve(environment env: [String: String], profile named: String?, flag: URL?,
                               config: SharedConfig? = nil) throws(EndpointConfigurationError) -> Endpoints {
        let config = config ?? SharedConfig.load(environment: env)
        let profileName = SharedConfig.profileName(named, environment: env)
        let profile = config.profiles[profileName] ?? [:]
        let place = "profile \(profileName)"

        func setting(_ variable: String, _ key: String) -> String? {
            env[variable].flatMap { $0.isEmpty ? nil : $0 } ?? profile[key]
        }
        func url(_ text: String?, _ source: String) throws(EndpointConfigurationError) -> URL? {
            guard let text, !text.isEmpty else { return nil }
            guard let u = URL(string: text), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  u.host?.isEmpty == false else {
                throw EndpointConfigurationError("\(source) is not an http(s) URL: \(text)")
            }
            return u
        }

        var endpoints = Endpoints(useFIPS: isTrue(setting("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")),
                                  useDualStack: isTrue(setting("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")))
        if let flag {
            endpoints.override = flag
        } else if !isTrue(setting("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls")) {
            var section: [String: [String: String]] = [:]
            if let name = profile["services"] {
                guard let found = config.services[name] else {
                    throw EndpointConfigurationError("\(place) names services \(name), but the config file has no [services \(name)] section")
                }
                section = found
            }
            let global = try url(env["AWS_ENDPOINT_URL"], "AWS_ENDPOINT_URL")
            for service in Service.allCases {
                let variable = "AWS_ENDPOINT_URL_\(service.configurationKey.uppercased())"
                let fromSection = try url(section[service.configurationKey]?["endpoint_url"],
                                          "endpoint_url of \(service.configurationKey) in [services \(profile["services"] ?? "")]")
                if let u = try url(env[variable], variable) ?? global ?? fromSection {
                    endpoints.serviceOverrides[service] = u
                }
            }
            endpoints.override = try url(profile["endpoint_url"], "endpoint_url of \(place)")
        }
        // botocore's rule sets refuse both together: a custom endpoint has no FIPS variant.
        let custom = endpoints.override != nil || !endpoints.serviceOverrides.isEmpty
        if custom && (endpoints.useFIPS || endpoints.useDualStack) {
            throw EndpointConfigurationError("a custom endpoint URL cannot be combined with \(endpoints.useFIPS ? "FIPS" : "dual-stack") endpoints (AWS_USE_\(endpoints.useFIPS ? "FIPS" : "DUALSTACK")_ENDPOINT or the profile's use_\(endpoints.useFIPS ? "fips" : "dualstack")_endpoint)")
        }
        return endpoints
    }

    /// botocore's `ensure_boolean`: only `true`, in any case, is true.
    static func isTrue(_ text: String?) -> Bool { text?.lowercased() == "true" }
}

public struct EndpointConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
