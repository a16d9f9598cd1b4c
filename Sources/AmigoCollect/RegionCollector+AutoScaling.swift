import AmigoAWS
import AmigoCore

/// Auto Scaling groups resolved to the images they launch: through their launch
/// configuration, their launch template version, or each mixed-instances override's template.
extension RegionCollector {
    /// One workload per source of each group. A template version that is neither a template's
    /// default nor its latest is asked for once per template; a source that names something
    /// gone is a workload without an image whose `via` says what it pointed at.
    func groupWorkloads(_ groups: [AutoScalingGroupRecord], versions: [LaunchTemplateVersion],
                        configurations: [Workload], region: String) async -> ([Workload], [ScanError]) {
        var index = TemplateIndex(versions)
        var errors: [ScanError] = []
        let missing = Set(groups.flatMap(\.sources).compactMap { source -> LaunchTemplateReference? in
            switch source {
            case .launchConfiguration: nil
            case .launchTemplate(let ref), .override(_, let ref): index.resolve(ref) == nil ? ref : nil
            }
        }.filter { Int($0.version) != nil })
        let byTemplate = Dictionary(grouping: missing) { $0.id ?? "name:\($0.name ?? "")" }
        for (_, refs) in byTemplate.sorted(by: { $0.key < $1.key }) {
            let ref = refs[0]
            var parameters = ref.id.map { [("LaunchTemplateId", $0)] } ?? [("LaunchTemplateName", ref.name ?? "")]
            for (n, version) in Set(refs.map(\.version)).sorted().enumerated() {
                parameters.append(("LaunchTemplateVersion.\(n + 1)", version))
            }
            parameters.append(("ResolveAlias", "true"))
            do {
                let page = try EC2Decode.launchTemplateVersions(try await ec2(region, Self.describeLaunchTemplateVersions, parameters))
                index.add(page.items)
                errors += page.problems.map { problem(Self.describeLaunchTemplateVersions, $0, region: region) }
            } catch let error as AWSError where error.code.hasPrefix("InvalidLaunchTemplate") {
                continue  // the template or version is gone: the group's workload says so
            } catch {
                errors.append(scanError(account: account, region: region,
                                        operation: Self.describeLaunchTemplateVersions.iamName, error))
            }
        }

        let configurationImages = Dictionary(configurations.map { ($0.resourceId, $0.imageId) }) { first, _ in first }
        var workloads: [Workload] = []
        for group in groups {
            for source in group.sources {
                let image: String?, via: String
                switch source {
                case .launchConfiguration(let name):
                    via = "launch-configuration \(UntrustedText.quoted(name))"
                    image = configurationImages[name] ?? nil
                case .launchTemplate(let ref):
                    via = "launch-template \(UntrustedText.quoted(ref.description))"
                    image = index.resolve(ref)?.imageId
                case .override(let n, let ref):
                    via = "override \(n) of \(UntrustedText.quoted(ref.description))"
                    image = index.resolve(ref)?.imageId
                }
                workloads.append(Workload(accountId: account, region: region, kind: .autoScalingGroup,
                                          resourceId: group.name, name: nil, state: nil, launchTime: group.created,
                                          tags: group.tags, imageId: image, via: via, imageMetadata: nil))
            }
        }
        return (workloads, errors)
    }
}

/// Launch template versions by template id and name.
struct TemplateIndex {
    private var byTemplate: [String: [LaunchTemplateVersion]] = [:]
    private var idByName: [String: String] = [:]

    init(_ versions: [LaunchTemplateVersion]) { add(versions) }

    mutating func add(_ versions: [LaunchTemplateVersion]) {
        for v in versions {
            if !(byTemplate[v.templateId]?.contains { $0.versionNumber == v.versionNumber } ?? false) {
                byTemplate[v.templateId, default: []].append(v)
            }
            if let name = v.templateName { idByName[name] = v.templateId }
        }
    }

    /// `$Latest` is the highest version listed: the listing asked for each template's latest.
    func resolve(_ ref: LaunchTemplateReference) -> LaunchTemplateVersion? {
        guard let id = ref.id ?? ref.name.flatMap({ idByName[$0] }), let versions = byTemplate[id] else { return nil }
        switch ref.version {
        case "$Default": return versions.first(where: \.isDefault)
        case "$Latest": return versions.max { $0.versionNumber < $1.versionNumber }
        default: return versions.first { String($0.versionNumber) == ref.version }
        }
    }
}
