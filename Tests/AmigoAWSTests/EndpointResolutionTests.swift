import AmigoAWS
import Foundation
import Testing

/// Host names and signing regions as botocore's endpoint rule sets resolve them, for every
/// combination of FIPS and dual-stack in each partition.
struct EndpointResolutionTests {
    /// Generated with botocore's `EndpointRulesetResolver` (`resolve_endpoint(Region=…,
    /// UseFIPS=…, UseDualStack=…)`) for each service.
    static let botocore: [(Service, String, Bool, Bool, String, String)] = [
        (.ec2, "eu-west-1", false, false, "https://ec2.eu-west-1.amazonaws.com", "eu-west-1"),
        (.ec2, "eu-west-1", false, true, "https://ec2.eu-west-1.api.aws", "eu-west-1"),
        (.ec2, "eu-west-1", true, false, "https://ec2-fips.eu-west-1.amazonaws.com", "eu-west-1"),
        (.ec2, "eu-west-1", true, true, "https://ec2-fips.eu-west-1.api.aws", "eu-west-1"),
        (.ec2, "cn-north-1", false, false, "https://ec2.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        (.ec2, "cn-north-1", false, true, "https://ec2.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1"),
        (.ec2, "cn-north-1", true, false, "https://ec2-fips.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        (.ec2, "cn-north-1", true, true, "https://ec2-fips.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1"),
        (.ec2, "us-gov-east-1", false, false, "https://ec2.us-gov-east-1.amazonaws.com", "us-gov-east-1"),
        (.ec2, "us-gov-east-1", false, true, "https://ec2.us-gov-east-1.api.aws", "us-gov-east-1"),
        (.ec2, "us-gov-east-1", true, false, "https://ec2.us-gov-east-1.amazonaws.com", "us-gov-east-1"),
        (.ec2, "us-gov-east-1", true, true, "https://ec2-fips.us-gov-east-1.api.aws", "us-gov-east-1"),
        (.sts, "eu-west-1", false, false, "https://sts.eu-west-1.amazonaws.com", "eu-west-1"),
        (.sts, "eu-west-1", false, true, "https://sts.eu-west-1.api.aws", "eu-west-1"),
        (.sts, "eu-west-1", true, false, "https://sts-fips.eu-west-1.amazonaws.com", "eu-west-1"),
        (.sts, "eu-west-1", true, true, "https://sts-fips.eu-west-1.api.aws", "eu-west-1"),
        (.sts, "cn-north-1", false, false, "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        (.sts, "cn-north-1", false, true, "https://sts.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1"),
        (.sts, "cn-north-1", true, false, "https://sts-fips.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        (.sts, "cn-north-1", true, true, "https://sts-fips.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1"),
        (.sts, "us-gov-east-1", false, false, "https://sts.us-gov-east-1.amazonaws.com", "us-gov-east-1"),
        (.sts, "us-gov-east-1", false, true, "https://sts.us-gov-east-1.api.aws", "us-gov-east-1"),
        (.sts, "us-gov-east-1", true, false, "https://sts.us-gov-east-1.amazonaws.com", "us-gov-east-1"),
        (.sts, "us-gov-east-1", true, true, "https://sts-fips.us-gov-east-1.api.aws", "us-gov-east-1"),
        (.organizations, "eu-west-1", false, false, "https://organizations.us-east-1.amazonaws.com", "us-east-1"),
        (.organizations, "eu-west-1", false, true, "https://organizations.eu-west-1.api.aws", "eu-west-1"),
        (.organizations, "eu-west-1", true, false, "https://organizations-fips.us-east-1.amazonaws.com", "us-east-1"),
        (.organizations, "eu-west-1", true, true, "https://organizations-fips.eu-west-1.api.aws", "eu-west-1"),
        (.organizations, "cn-north-1", false, false, "https://organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"),
        (.organizations, "cn-north-1", false, true, "https://organizations.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1"),
        (.organizations, "cn-north-1", true, false, "https://organizations-fips.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        (.organizations, "cn-north-1", true, true, "https://organizations-fips.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1"),
        (.organizations, "us-gov-east-1", false, false, "https://organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        (.organizations, "us-gov-east-1", false, true, "https://organizations.us-gov-east-1.api.aws", "us-gov-east-1"),
        (.organizations, "us-gov-east-1", true, false, "https://organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        (.organizations, "us-gov-east-1", true, true, "https://organizations-fips.us-gov-east-1.api.aws", "us-gov-east-1"),
        (.sso, "eu-west-1", false, false, "https://portal.sso.eu-west-1.amazonaws.com", "eu-west-1"),
        (.sso, "eu-west-1", false, true, "https://portal.sso.eu-west-1.api.aws", "eu-west-1"),
        (.sso, "eu-west-1", true, false, "https://portal.sso-fips.eu-west-1.amazonaws.com", "eu-west-1"),
        (.sso, "eu-west-1", true, true, "https://portal.sso-fips.eu-west-1.api.aws", "eu-west-1"),
        (.sso, "cn-north-1", false, false, "https://portal.sso.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        (.sso, "cn-north-1", false, true, "https://portal.sso.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1"),
        (.sso, "cn-north-1", true, false, "https://portal.sso-fips.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        (.sso, "cn-north-1", true, true, "https://portal.sso-fips.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1"),
        (.sso, "us-gov-east-1", false, false, "https://portal.sso.us-gov-east-1.amazonaws.com", "us-gov-east-1"),
        (.sso, "us-gov-east-1", false, true, "https://portal.sso.us-gov-east-1.api.aws", "us-gov-east-1"),
        (.sso, "us-gov-east-1", true, false, "https://portal.sso.us-gov-east-1.amazonaws.com", "us-gov-east-1"),
        (.sso, "us-gov-east-1", true, true, "https://portal.sso-fips.us-gov-east-1.api.aws", "us-gov-east-1"),
        (.autoscaling, "eu-west-1", false, false, "https://autoscaling.eu-west-1.amazonaws.com", "eu-west-1"),
        (.autoscaling, "eu-west-1", true, true, "https://autoscaling-fips.eu-west-1.api.aws", "eu-west-1"),
        (.autoscaling, "cn-north-1", true, false, "https://autoscaling-fips.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        (.autoscaling, "us-gov-east-1", true, false, "https://autoscaling.us-gov-east-1.amazonaws.com", "us-gov-east-1"),
        (.autoscaling, "us-gov-east-1", true, true, "https://autoscaling-fips.us-gov-east-1.api.aws", "us-gov-east-1"),
        (.ssm, "eu-west-1", false, false, "https://ssm.eu-west-1.amazonaws.com", "eu-west-1"),
        (.ssm, "eu-west-1", true, false, "https://ssm-fips.eu-west-1.amazonaws.com", "eu-west-1"),
        (.ssm, "cn-north-1", false, true, "https://ssm.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1"),
        (.ssm, "us-gov-east-1", true, false, "https://ssm.us-gov-east-1.amazonaws.com", "us-gov-east-1"),
        (.ssm, "us-gov-east-1", true, true, "https://ssm-fips.us-gov-east-1.api.aws", "us-gov-east-1"),
    ]

    @Test func hostsFollowBotocoresRules() {
        for (service, region, fips, dualStack, url, signing) in Self.botocore {
            let endpoints = Endpoints(useFIPS: fips, useDualStack: dualStack)
            #expect(endpoints.url(service, region: region).absoluteString == url,
                    "\(service) \(region) fips=\(fips) dual-stack=\(dualStack)")
            #expect(endpoints.signingRegion(service, region: region) == signing,
                    "\(service) \(region) fips=\(fips) dual-stack=\(dualStack)")
        }
    }

    static func resolve(_ env: [String: String] = [:], config: String = "", profile: String? = nil,
                        flag: URL? = nil) throws -> Endpoints {
        let home = try AWSHome(config: config)
        return try EndpointConfiguration.resolve(environment: home.env(env), profile: profile, flag: flag)
    }

    @Test func fipsAndDualStackComeFromTheEnvironmentThenTheProfile() throws {
        let config = "[default]\nuse_fips_endpoint = true\n[profile ds]\nuse_dualstack_endpoint = TRUE\n"
        #expect(try Self.resolve(config: config).url(.ec2, region: "eu-west-1").absoluteString == "https://ec2-fips.eu-west-1.amazonaws.com")
        #expect(try Self.resolve(["AWS_USE_FIPS_ENDPOINT": "false"], config: config).useFIPS == false)
        let ds = try Self.resolve(config: config, profile: "ds")
        #expect(ds.url(.sts, region: "eu-west-1").absoluteString == "https://sts.eu-west-1.api.aws")
        let both = try Self.resolve(["AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"])
        #expect(both.url(.ec2, region: "us-gov-east-1").absoluteString == "https://ec2-fips.us-gov-east-1.api.aws")
    }

    @Test func configuredEndpointsFollowTheAWSCLIsOrder() throws {
        let config = """
        [profile local]
        endpoint_url = http://127.0.0.1:1001
        services = emulators
        [services emulators]
        ec2 =
          endpoint_url = http://127.0.0.1:1002
        sts =
          endpoint_url = http://127.0.0.1:1003
        """
        let fromConfig = try Self.resolve(config: config, profile: "local")
        #expect(fromConfig.url(.ec2, region: "eu-west-1").absoluteString == "http://127.0.0.1:1002")
        #expect(fromConfig.url(.sts, region: "eu-west-1").absoluteString == "http://127.0.0.1:1003")
        #expect(fromConfig.url(.organizations, region: "eu-west-1").absoluteString == "http://127.0.0.1:1001")

        let env = try Self.resolve(["AWS_ENDPOINT_URL": "http://127.0.0.1:2001", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:2002",
                                    "AWS_PROFILE": "local"], config: config)
        #expect(env.url(.ec2, region: "eu-west-1").absoluteString == "http://127.0.0.1:2001")
        #expect(env.url(.sts, region: "eu-west-1").absoluteString == "http://127.0.0.1:2002")
        // botocore's service ids: "Auto Scaling" is AUTO_SCALING, "SSM" is SSM.
        let workloadServices = try Self.resolve(["AWS_ENDPOINT_URL_AUTO_SCALING": "http://127.0.0.1:2003",
                                                 "AWS_ENDPOINT_URL_SSM": "http://127.0.0.1:2004"])
        #expect(workloadServices.url(.autoscaling, region: "eu-west-1").absoluteString == "http://127.0.0.1:2003")
        #expect(workloadServices.url(.ssm, region: "eu-west-1").absoluteString == "http://127.0.0.1:2004")

        let flag = try Self.resolve(["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:2002"], config: config, profile: "local",
                                    flag: URL(string: "http://127.0.0.1:3001"))
        #expect(flag.url(.sts, region: "eu-west-1").absoluteString == "http://127.0.0.1:3001", "the flag wins over everything")

        let ignored = try Self.resolve(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:2001"],
                                       config: config, profile: "local")
        #expect(ignored.url(.ec2, region: "eu-west-1").absoluteString == "https://ec2.eu-west-1.amazonaws.com")
    }

    @Test func badEndpointConfigurationIsAnErrorThatNamesItsPlace() throws {
        let missing = #expect(throws: EndpointConfigurationError.self) {
            try Self.resolve(config: "[profile p]\nservices = nowhere\n", profile: "p")
        }
        #expect(missing?.description.contains("[services nowhere]") == true)
        let notURL = #expect(throws: EndpointConfigurationError.self) {
            try Self.resolve(config: "[profile p]\nendpoint_url = 127.0.0.1:4566\n", profile: "p")
        }
        #expect(notURL?.description.contains("endpoint_url of profile p") == true)
        let fips = #expect(throws: EndpointConfigurationError.self) {
            try Self.resolve(["AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_USE_FIPS_ENDPOINT": "true"])
        }
        #expect(fips?.description.contains("FIPS") == true)
    }
}
