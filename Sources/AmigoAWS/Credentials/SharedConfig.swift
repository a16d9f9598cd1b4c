import Foundation

/// `~/.aws/credentials` and `~/.aws/config` (moved by `AWS_SHARED_CREDENTIALS_FILE` and
/// `AWS_CONFIG_FILE`), merged per profile; the credentials file wins for keys in both, as
/// with the AWS CLI. Config sections are `[default]` and `[profile name]`.
public struct SharedConfig: Sendable {
    public var profiles: [String: [String: String]]
    public var files: [String]

    public init(profiles: [String: [String: String]], files: [String] = []) {
        self.profiles = profiles; self.files = files
    }

    public static func load(environment env: [String: String]) -> SharedConfig {
        let home = env["HOME"] ?? NSHomeDirectory()
        let credentialsPath = env["AWS_SHARED_CREDENTIALS_FILE"].map(expand(home)) ?? "\(home)/.aws/credentials"
        let configPath = env["AWS_CONFIG_FILE"].map(expand(home)) ?? "\(home)/.aws/config"
        var profiles: [String: [String: String]] = [:]
        if let text = try? String(contentsOfFile: configPath, encoding: .utf8) {
            for (section, values) in parse(text) {
                let name: String
                if section == "default" { name = "default" }
                else if section.hasPrefix("profile ") {
                    name = section.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces)
                } else { continue }  // sso-session, services: not profiles
                profiles[name, default: [:]].merge(values) { _, new in new }
            }
        }
        if let text = try? String(contentsOfFile: credentialsPath, encoding: .utf8) {
            for (section, values) in parse(text) {
                profiles[section, default: [:]].merge(values) { _, new in new }
            }
        }
        return SharedConfig(profiles: profiles, files: [credentialsPath, configPath])
    }

    private static func expand(_ home: String) -> (String) -> String {
        { $0.hasPrefix("~/") ? home + $0.dropFirst(1) : $0 }
    }

    /// INI as botocore reads it: `#`/`;` comment lines, `key = value`, and indented lines
    /// (nested settings such as `s3 =` blocks) skipped.
    static func parse(_ text: String) -> [(String, [String: String])] {
        var sections: [(String, [String: String])] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                sections.append((line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces), [:]))
                continue
            }
            guard !sections.isEmpty, raw.first != " ", raw.first != "\t",
                  let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            sections[sections.count - 1].1[key] = value
        }
        return sections
    }
}
