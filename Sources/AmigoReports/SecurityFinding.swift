import AmigoCore
import Foundation

/// A finding as the formats security teams import (ASFF, OCSF) list it: each open finding,
/// each one a waiver accepted, and, with a baseline, each one resolved since, so an import
/// can close what amigo no longer finds. Text from AWS or a policy file goes through
/// `Escape.inert`: these formats end up on a console screen.
struct SecurityFinding {
    enum State: Equatable {
        case open
        case waived(reason: String, expires: Date?)
        case resolved
    }

    var finding: Finding
    var state: State
    var policy: PolicyInfo?
    var check: CheckDescriptor?

    /// By account and region first, so that a file cut into batches of one account×region
    /// (what one `BatchImportFindings` call may hold) keeps each batch together.
    static func all(_ digest: ReportDigest) -> [SecurityFinding] {
        let policies = Dictionary(digest.policies.map { ($0.info.id, $0.info) }, uniquingKeysWith: { first, _ in first })
        let listed = digest.findings.map { ($0, State.open) }
            + digest.waived.map { ($0.finding, State.waived(reason: $0.reason, expires: $0.expires)) }
            + (digest.report.baseline?.resolved ?? []).map { ($0, State.resolved) }
        return listed
            .sorted { a, b in
                if (a.0.accountId, a.0.region) != (b.0.accountId, b.0.region) {
                    return (a.0.accountId, a.0.region) < (b.0.accountId, b.0.region)
                }
                return Finding.reportOrder(a.0, b.0)
            }
            .map { finding, state in
                SecurityFinding(finding: finding, state: state, policy: policies[finding.policyId],
                                check: CheckRegistry.type(for: finding.check)?.descriptor)
            }
    }

    /// `aws`, `aws-cn` or `aws-us-gov`, from the region's name.
    var partition: String {
        if finding.region.hasPrefix("cn-") { return "aws-cn" }
        if finding.region.hasPrefix("us-gov-") { return "aws-us-gov" }
        return "aws"
    }

    /// The resource as Security Hub names it: an image by its ARN (AMI ARNs have no account),
    /// an account×region's guardrails by the account.
    var resource: (type: String, id: String) {
        switch finding.resourceType {
        case Finding.imageResourceType:
            ("AwsEc2Image", "arn:\(partition):ec2:\(finding.region)::image/\(finding.resourceId)")
        case Finding.regionResourceType:
            ("AwsAccount", "AWS::::Account:\(finding.accountId)")
        default:
            ("Other", finding.resourceId)
        }
    }

    /// The waiver that accepted the finding, worded as the other formats' warnings word it.
    var waiverNote: String? {
        guard case .waived(let reason, let expires) = state else { return nil }
        let why = Escape.inert(reason)
        return "waived: " + (expires.map { "expires on \(Timestamp.day($0)) (\(why))" } ?? "no expiry (\(why))")
    }

    var title: String { Escape.inert(policy?.description ?? finding.policyId) }
    var message: String { Escape.inert(finding.message) }

    /// Each framework control the policy evidences, as `FRAMEWORK CONTROL`.
    var requirements: [String] {
        guard let frameworks = policy?.frameworks else { return [] }
        return frameworks.keys.sorted().flatMap { framework in
            frameworks[framework]!.map { Escape.inert("\(framework) \($0)") }
        }
    }

    var standards: [String] { (policy?.frameworks.keys.sorted() ?? []).map(Escape.inert) }

    var evidence: [String: String] {
        Dictionary(finding.evidence.map { (Escape.inert($0.key), Escape.inert($0.value)) },
                   uniquingKeysWith: { first, _ in first })
    }
}

extension String {
    /// At most `limit` characters, an ellipsis marking a cut: the formats' field limits.
    func truncated(to limit: Int) -> String {
        count <= limit ? self : String(prefix(limit - 1)) + "…"
    }
}
