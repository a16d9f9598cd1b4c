import AmigoAWS
import AmigoCore
import Foundation

/// A launch template as a group names it: by id or name, and a version (`$Default`,
/// `$Latest` or a number; absent means `$Default`).
public struct LaunchTemplateReference: Sendable, Hashable {
    public var id: String?
    public var name: String?
    public var version: String
    public var description: String { "\(id ?? name ?? "?"):\(version)" }
}

/// An Auto Scaling group and what it launches from, unresolved: the collector resolves each
/// source to an image through the launch templates and configurations it read.
public struct AutoScalingGroupRecord: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case launchConfiguration(String)
        case launchTemplate(LaunchTemplateReference)
        /// A mixed-instances policy's override with a launch template of its own (1-based).
        case override(Int, LaunchTemplateReference)
    }
    public var name: String
    public var created: Date?
    public var tags: [Tag]
    public var sources: [Source]
}

/// Decoders for Auto Scaling Query responses (`<XResponse><XResult>…`, lists are `<member>`,
/// PascalCase names: botocore's `autoscaling/2011-01-01`).
public enum AutoScalingDecode {
    public static func groups(_ root: XMLNode) throws -> WorkloadPage<AutoScalingGroupRecord> {
        let r = FieldReader(operation: "DescribeAutoScalingGroups")
        let result = try r.result(root)
        var page = WorkloadPage<AutoScalingGroupRecord>(items: [], problems: [], nextToken: r.string(result, "NextToken"))
        for (n, item) in members(result, "AutoScalingGroups").enumerated() {
            do throws(DecodeError) {
                let name = try r.required(item, "AutoScalingGroupName", "group item \(n + 1)")
                let what = "group \(UntrustedText.quoted(name))"
                var sources: [AutoScalingGroupRecord.Source] = []
                if let configuration = r.string(item, "LaunchConfigurationName") {
                    sources.append(.launchConfiguration(configuration))
                }
                if let template = item.child("LaunchTemplate") {
                    sources.append(.launchTemplate(try reference(template, what, r)))
                }
                if let mixed = item.child("MixedInstancesPolicy")?.child("LaunchTemplate") {
                    if let spec = mixed.child("LaunchTemplateSpecification") {
                        sources.append(.launchTemplate(try reference(spec, "\(what) mixed instances policy", r)))
                    }
                    for (o, override) in members(mixed, "Overrides").enumerated() {
                        if let spec = override.child("LaunchTemplateSpecification") {
                            sources.append(.override(o + 1, try reference(spec, "\(what) override \(o + 1)", r)))
                        }
                    }
                }
                guard !sources.isEmpty else {
                    throw r.fail("\(what) names no launch configuration, launch template or mixed instances policy")
                }
                var tags: [Tag] = []
                for (t, tag) in members(item, "Tags").enumerated() {
                    tags.append(Tag(try r.required(tag, "Key", "\(what) tag \(t + 1)"), r.string(tag, "Value") ?? ""))
                }
                page.items.append(AutoScalingGroupRecord(name: name, created: try r.date(item, "CreatedTime", what),
                                                         tags: tags, sources: sources))
            } catch {
                page.problems.append(error)
            }
        }
        return page
    }

    /// `DescribeLaunchConfigurations`: each configuration as a workload.
    public static func launchConfigurations(_ root: XMLNode, account: String, region: String) throws -> WorkloadPage<Workload> {
        let r = FieldReader(operation: "DescribeLaunchConfigurations")
        let result = try r.result(root)
        var page = WorkloadPage<Workload>(items: [], problems: [], nextToken: r.string(result, "NextToken"))
        for (n, item) in members(result, "LaunchConfigurations").enumerated() {
            do throws(DecodeError) {
                let name = try r.required(item, "LaunchConfigurationName", "launch configuration item \(n + 1)")
                let what = "launch configuration \(UntrustedText.quoted(name))"
                guard let image = try r.imageId(item, "ImageId", what) else { throw r.fail("\(what) has no ImageId") }
                page.items.append(Workload(accountId: account, region: region, kind: .launchConfiguration,
                                           resourceId: name, name: nil, state: nil,
                                           launchTime: try r.date(item, "CreatedTime", what), tags: [],
                                           imageId: image, via: nil, imageMetadata: nil))
            } catch {
                page.problems.append(error)
            }
        }
        return page
    }

    private static func reference(_ node: XMLNode, _ what: String, _ r: FieldReader) throws(DecodeError) -> LaunchTemplateReference {
        let id = r.string(node, "LaunchTemplateId")
        if let id, !AWSIdentifier.isLaunchTemplate(id) {
            throw r.malformed(what, "LaunchTemplateId", id, expected: "a launch template id (lt-…)")
        }
        let name = r.string(node, "LaunchTemplateName")
        guard id != nil || name != nil else { throw r.fail("\(what) names its launch template by neither id nor name") }
        let version = r.string(node, "Version") ?? "$Default"
        guard version == "$Default" || version == "$Latest" || (Int(version).map { $0 > 0 } ?? false) else {
            throw r.malformed(what, "Version", version, expected: "$Default, $Latest or a version number")
        }
        return LaunchTemplateReference(id: id, name: name, version: version)
    }

    static func members(_ node: XMLNode, _ wrapper: String) -> [XMLNode] { node.child(wrapper)?.all("member") ?? [] }
}

extension FieldReader {
    /// `<OpResponse><OpResult>`: the Query protocol's result element.
    func result(_ root: XMLNode) throws(DecodeError) -> XMLNode {
        try expectRoot(root)
        guard let result = root.child("\(operation)Result") else { throw fail("response has no \(operation)Result") }
        return result
    }
}
