import AmigoCore
import Foundation

/// A fixed report that exercises every reporter path: five image policies and one region
/// policy, eleven findings over all severities (two about account×regions), three accounts
/// and five regions, two waived findings (one of them a region's), a scan error, a failed and
/// a skipped region, and AWS-sourced strings chosen to break naive escaping.
enum ReportFixture {
    static let scriptTag = "<script>alert(1)</script>"
    static let formula = "=cmd|' /C calc'!A0"
    static let quoted = "legacy, \"quoted\" & co"
    static let unicode = "Ünïcødé-画像"

    static func date(_ iso: String) -> Date { try! Date(iso, strategy: .iso8601) }

    static let context = RenderContext(generatedAt: date("2025-06-01T12:00:00Z"), toolVersion: "1.0.0-test")

    static let images: [ImageRef] = [
        ImageRef(accountId: "111111111111", region: "us-east-1", imageId: "ami-0aaa0000000000001", name: "web-base"),
        ImageRef(accountId: "111111111111", region: "us-east-1", imageId: "ami-0bbb0000000000002", name: scriptTag),
        ImageRef(accountId: "111111111111", region: "eu-west-1", imageId: "ami-0ccc0000000000003", name: unicode),
        ImageRef(accountId: "222222222222", region: "us-east-1", imageId: "ami-0ddd0000000000004"),
        ImageRef(accountId: "222222222222", region: "ap-southeast-2", imageId: "ami-0eee0000000000005", name: quoted),
        ImageRef(accountId: "333333333333", region: "us-west-2", imageId: "ami-0fff0000000000006", name: formula),
    ]

    static let accounts = [
        Account(id: "111111111111", name: "Prod & \"Payments\""),
        Account(id: "222222222222", name: "dev <sandbox>"),
        Account(id: "333333333333", name: "Ops \u{1}Tools"),
    ]

    static let notPublic = PolicyInfo(id: "ami-not-public", check: "public-sharing", severity: .critical,
                                      description: "AMIs must not be public", frameworks: ["cis-compute-1.0": ["2.1.5"]])
    static let encrypted = PolicyInfo(id: "ami-ebs-encrypted", check: "encryption", severity: .high,
                                      description: "EBS snapshots behind AMIs are encrypted & KMS-keyed",
                                      frameworks: ["pci-dss-4.0": ["3.5.1"], "hipaa": ["164.312(a)(2)(iv)"]])
    static let maxAge = PolicyInfo(id: "ami-max-age", check: "age", severity: .medium)
    static let tags = PolicyInfo(id: "ami-required-tags", check: "tags", severity: .low, description: "Owner and Environment tags")
    static let hvm = PolicyInfo(id: "ami-hvm-only", check: "virtualization-type", severity: .info)
    static let ebsDefault = PolicyInfo(id: "region-ebs-encryption-by-default", check: "ebs-encryption-by-default",
                                       severity: .high, description: "EBS encryption by default is on in every region",
                                       frameworks: ["cis-aws-3.0": ["2.2.1"]], resourceType: "region")

    /// The account×regions the scan read (the `scanned` coverage entries).
    static let regions: [RegionRef] = [
        RegionRef(accountId: "111111111111", region: "eu-west-1"), RegionRef(accountId: "111111111111", region: "us-east-1"),
        RegionRef(accountId: "222222222222", region: "ap-southeast-2"), RegionRef(accountId: "222222222222", region: "us-east-1"),
        RegionRef(accountId: "333333333333", region: "us-west-2"),
    ]

    static func regionFinding(_ policy: PolicyInfo, _ region: Int, _ message: String, evidence: [String: String]) -> Finding {
        let ref = regions[region]
        return Finding(policyId: policy.id, check: policy.check, severity: policy.severity, accountId: ref.accountId,
                       accountName: accounts.first { $0.id == ref.accountId }?.name, region: ref.region,
                       resourceType: "region", resourceId: ref.resourceId, message: message, evidence: evidence)
    }

    static func finding(_ policy: PolicyInfo, _ image: Int, _ message: String, evidence: [String: String] = [:]) -> Finding {
        let ref = images[image]
        return Finding(policyId: policy.id, check: policy.check, severity: policy.severity, accountId: ref.accountId,
                       accountName: accounts.first { $0.id == ref.accountId }?.name, region: ref.region,
                       resourceId: ref.imageId, resourceName: ref.name, message: message, evidence: evidence)
    }

    /// `report` with its first failing policy's finding repeated `count` times, each on its own image.
    static func report(findings count: Int) -> Report {
        var report = report
        let index = report.results.firstIndex { !$0.findings.isEmpty }!
        let template = report.results[index].findings[0]
        report.results[index].findings = (0..<count).map { n in
            var finding = template
            finding.resourceId = "ami-\(String(n, radix: 16))"
            return finding
        }
        return report
    }

    static var report: Report {
        let all = Array(images.indices)
        let results = [
            PolicyResult(policy: tags, evaluated: all, findings: [
                finding(tags, 0, "Missing required tag Owner", evidence: ["tag:Environment": formula]),
                finding(tags, 5, "Tag Environment has value \"prod\u{1}\" not in [prod, staging, dev]\nsecond line | pipe",
                        evidence: ["tag:Environment": "prod\u{1}"]),
                finding(tags, 2, "Missing tag Owner on \(unicode)"),
            ]),
            PolicyResult(policy: notPublic, evaluated: all, findings: [
                finding(notPublic, 1, "Image is public (launch permission group=all)", evidence: ["launchPermissions": "group=all"]),
            ]),
            PolicyResult(policy: encrypted, evaluated: all, findings: [
                finding(encrypted, 0, "Snapshot snap-01 of /dev/xvda is not encrypted",
                        evidence: ["device": "/dev/xvda", "snapshotId": "snap-01", "encrypted": "false"]),
                finding(encrypted, 4, "Snapshot snap-05 of /dev/sda1 is not encrypted",
                        evidence: ["device": "/dev/sda1", "snapshotId": "snap-05", "encrypted": "false"]),
            ]),
            PolicyResult(policy: maxAge, evaluated: all, findings: [
                finding(maxAge, 2, "Image is 400 days old (max 180)", evidence: ["creationDate": "2024-04-27T00:00:00Z", "ageDays": "400"]),
                finding(maxAge, 3, "Image is 365 days old (max 180)", evidence: ["creationDate": "2024-06-01T00:00:00Z", "ageDays": "365"]),
            ]),
            PolicyResult(policy: hvm, evaluated: [4, 5], findings: [
                finding(hvm, 4, "Virtualization type paravirtual is not allowed (allowed: hvm)", evidence: ["virtualizationType": "paravirtual"]),
            ]),
            PolicyResult(policy: ebsDefault, evaluated: [], findings: [
                regionFinding(ebsDefault, 3, "EBS encryption by default is off: new volumes and snapshots may be unencrypted.",
                              evidence: ["ebsEncryptionByDefault": "false"]),
                regionFinding(ebsDefault, 4, "ebsEncryptionByDefault could not be read (GetEbsEncryptionByDefault); the guardrail cannot be verified.",
                              evidence: ["ebsEncryptionByDefault": "not collected"]),
            ], evaluatedRegions: regions),
        ]
        let waived = WaivedFinding(
            finding: finding(notPublic, 5, "Image is public (launch permission group=all)", evidence: ["launchPermissions": "group=all"]),
            reason: "Marketplace listing <b>approved</b> & signed off", expires: date("2027-03-31T00:00:00Z"))
        let error = ScanError(accountId: "333333333333", region: "eu-central-1", operation: "DescribeImages",
                              code: "UnauthorizedOperation", message: "You are not authorized to perform this operation. <x>&")
        let coverage = [
            RegionCoverage(accountId: "111111111111", region: "us-east-1", status: .scanned, imageCount: 2),
            RegionCoverage(accountId: "111111111111", region: "eu-west-1", status: .scanned, imageCount: 1),
            RegionCoverage(accountId: "222222222222", region: "us-east-1", status: .scanned, imageCount: 1),
            RegionCoverage(accountId: "222222222222", region: "ap-southeast-2", status: .scanned, imageCount: 1),
            RegionCoverage(accountId: "222222222222", region: "me-south-1", status: .skipped, reason: "not opted in"),
            RegionCoverage(accountId: "333333333333", region: "us-west-2", status: .scanned, imageCount: 1),
            RegionCoverage(accountId: "333333333333", region: "eu-central-1", status: .failed,
                           reason: "DescribeImages: UnauthorizedOperation"),
        ]
        let scan = ScanInfo(id: 42, startedAt: date("2025-06-01T11:58:00Z"), finishedAt: date("2025-06-01T11:59:30Z"),
                            asOf: date("2025-06-01T00:00:00Z"), status: .partial, source: "live")
        let waivedRegion = WaivedFinding(
            finding: regionFinding(ebsDefault, 2, "EBS encryption by default is off: new volumes and snapshots may be unencrypted.",
                                   evidence: ["ebsEncryptionByDefault": "false"]),
            reason: "Sandbox region; volumes encrypted by launch template", expires: date("2025-12-31T00:00:00Z"))
        var report = Report(scan: scan, accounts: accounts, images: images, results: results, waived: [waived, waivedRegion],
                            errors: [error], coverage: coverage)
        report.frameworks = rollups(report)
        return report
    }

    /// A framework with a control of each kind: evidenced by a policy with findings, by a region
    /// policy, by a scoped policy; manual; and evidenced by a policy the report lacks.
    static let framework = Framework(
        id: "test-fw-1.0", name: "Test <Framework> & Co", version: "1.0", document: "Test Framework \"Controls\" v1.0",
        url: "https://example.com/framework?a=1&b=2", file: "policies/frameworks/test.yml", controls: [
            FrameworkControl(id: "1.1", title: "Images are <em>not</em> public", section: "1.1", url: nil,
                             policies: ["ami-not-public"], manual: nil, note: nil),
            FrameworkControl(id: "1.2", title: "EBS encryption by default", section: "1.2",
                             url: "https://example.com/1.2", policies: ["region-ebs-encryption-by-default"], manual: nil,
                             note: "the region setting | not the images"),
            FrameworkControl(id: "1.3", title: "Approved images only", section: "1.3", url: nil,
                             policies: ["ami-imdsv2-required"], manual: "Which images are approved is <yours> to decide", note: nil),
            FrameworkControl(id: "1.4", title: "Unused images are retired", section: "1.4", url: nil,
                             policies: ["ami-unused"], manual: nil, note: nil),
            FrameworkControl(id: "1.5", title: "HVM only in the dev account", section: "1.5", url: nil,
                             policies: ["ami-hvm-only"], manual: nil, note: nil),
        ])

    static func rollups(_ report: Report, framework: Framework = framework) -> [FrameworkRollup] {
        [FrameworkRollup(framework: framework, report: report,
                         scopes: ["ami-hvm-only": Scope(accounts: ["222222222222"])], enabledPolicies: ["ami-not-public"])]
    }

    /// The same fleet with nothing unreadable and nothing wrong: the "all clear" paths.
    static var cleanReport: Report {
        var clean = report
        clean.results = clean.results.map {
            PolicyResult(policy: $0.policy, evaluated: $0.evaluated, findings: [], evaluatedRegions: $0.evaluatedRegions)
        }
        clean.waived = []
        clean.errors = []
        clean.coverage = clean.coverage.filter { $0.status == .scanned }
        clean.scan.status = .complete
        // All clear: no control whose policy the report lacks (1.4).
        var judged = framework
        judged.controls.removeAll { $0.id == "1.4" }
        clean.frameworks = rollups(clean, framework: judged)
        return clean
    }
}
