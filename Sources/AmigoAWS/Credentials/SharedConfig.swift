import Foundation

/// `~/.aws/credentials` and `~/.aws/config` (moved by `AWS_SHARED_CREDENTIALS_FILE` and
/// `AWS_CONFIG_FILE`), merged per profile; the credentials file wins for keys in both, as
/// with the AWS CLI. Config sections are `[default]`, `[profile name]`, `[sso-session name]`
/// and `[services name]`.
public struct SharedConfig: Sendable {
    public var profiles: [String: [String: String]]
    /// `[sso-session name]` sections: `sso_start_url`, `sso_region`, …
    public var ssoSessions: [String: [String: String]]
    /// `[services name]` sections: service id (`ec2`, `sts`, …) → its nested settings.
    public var services: [String: [String: [String: String]]]
    public var files: [String]

    public init(profiles: [String: [String: String]], ssoSessions: [String: [String: String]] = [:],
                services: [String: [String: [String: String]]] = [:], files: [String] = []) {
        self.profiles = profiles; self.ssoSessions = ssoSessions; self.services = services; self.files = files
    }

    public static func load(environment env: [String: String]) -> SharedConfig {
        let home = homeDirectory(env)
        let credentialsPath = env["AWS_SHARED_CREDENTIALS_FILE"].map(expand(home)) ?? "\(home)/.aws/credentials"
        let configPath = env["AWS_CONFIG_FILE"].map(expand(home)) ?? "\(home)/.aws/config"
        var config = SharedConfig(profiles: [:], files: [credentialsPath, configPath])
        if let text = try? String(contentsOfFile: configPath, encoding: .utf8) {
            for section in parse(text) {
                let (kind, name) = section.kindAndName
                switch kind {
                case "default", "profile": config.profiles[name, default: [:]].merge(section.values) { _, new in new }
                case "sso-session": config.ssoSessions[name, default: [:]].merge(section.values) { _, new in new }
                case "services": config.services[name, default: [:]].merge(section.nested) { _, new in new }
                default: continue
                }
            }
        }
        if let text = try? String(contentsOfFile: credentialsPath, encoding: .utf8) {
            for section in parse(text) {
                config.profiles[section.name, default: [:]].merge(section.values) { _, new in new }
            }
        }
        return config
    }

    /// The profile a run uses when none is named: `AWS_PROFILE`, else `default`.
    public static func profileName(_ named: String?, environment env: [String: String]) -> String {
        named ?? env["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    static func homeDirectory(_ env: [String: String]) -> String { env["HOME"] ?? NSHomeDirectory() }

    private static func expand(_ home: String) -> (String) -> String {
        { $0.hasPrefix("~/") ? home + $0.dropFirst(1) : $0 }
    }

    struct Section {
        var name: String
        var values: [String: String] = [:]
        /// `key =` followed by indented `sub = value` lines (`s3 =`, `ec2 =` in services).
        var nested: [String: [String: String]] = [:]

        /// `("profile", "dev")` for `[profile dev]`, `("default", "default")` for `[default]`.
        var kindAndName: (String, String) {
            if name == "default" { return ("default", "default") }
            guard let space = name.firstIndex(of: " ") else { return (name, "") }
            return (String(name[..<space]), name[space...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// INI as botocore reads it: `#`/`;` comment lines, `key = value`, and indented lines as
    /// the nested settings of the `key =` above them.
    static func parse(_ text: String) -> [Section] {
        var sections: [Section] = []
        var nestedKey: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                sections.append(Section(name: line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)))
                nestedKey = nil
                continue
            }
            guard !sections.isEmpty, let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if raw.first == " " || raw.first == "\t" {
                if let nestedKey { sections[sections.count - 1].nested[nestedKey, default: [:]][key] = value }
                continue
            }
            sections[sections.count - 1].values[key] = value
            nestedKey = value.isEmpty ? key : nil
        }
        return sections
    }
}
