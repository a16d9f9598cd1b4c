import Foundation

/// An image nothing launches is attack surface and cost with no owner in sight: a candidate for
/// deprecation. Usage is organisation-wide: images are built in one account and launched in
/// many, so an image no workload of its own account uses, but another member's instance or
/// template does, is in use. Young images are exempt, since a fresh build is often not rolled
/// out yet, and so (with `not-launched-days`) are images EC2 saw launched recently, perhaps by
/// an account outside the scan. Unread workloads make "unused" unprovable: cannot verify.
public struct UnusedCheck: Check {
    public static let descriptor = CheckDescriptor(
        id: "unused",
        title: "A workload of some scanned account launches or references the image, or it is younger than grace-days.",
        rationale: "An image nothing launches is attack surface and storage cost with no owner in sight, and can still be launched by anyone it is shared with.",
        remediation: Remediation(
            "Confirm nothing outside the scan launches it, then deprecate it and later deregister it (and delete its snapshots).",
            commands: [
                "aws ec2 describe-image-attribute --region <region> --image-id <image-id> --attribute lastLaunchedTime",
                "aws ec2 enable-image-deprecation --region <region> --image-id <image-id> --deprecate-at <yyyy-mm-ddThh:mm:ssZ>",
                "aws ec2 deregister-image --region <region> --image-id <image-id> --delete-associated-snapshots",
            ],
            documentation: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/deregister-ami.html"),
        parameters: [
            ParameterDoc("grace-days", "integer", "Images younger than this many days are not judged (default 30)."),
            ParameterDoc("not-launched-days", "integer > 0", "Also require the image's lastLaunchedTime to be older than this many days (or absent: never launched since EC2 began recording); off by default."),
        ],
        needs: [.images, .workloads],
        examples: examples)

    public let graceDays: Int
    public let notLaunchedDays: Int?

    public init(parameters: CheckParameters) throws {
        let days = try parameters.int("grace-days") ?? 30
        guard days >= 0 else {
            throw parameters.error("'grace-days' must be 0 or more, got \(days)", at: parameters.location("grace-days"))
        }
        graceDays = days
        notLaunchedDays = try parameters.int("not-launched-days")
        if let n = notLaunchedDays, n <= 0 {
            throw parameters.error("'not-launched-days' must be greater than 0, got \(n)", at: parameters.location("not-launched-days"))
        }
        try parameters.finish()
    }

    public func evaluate(_ image: Image, in context: EvaluationContext) -> [Violation] {
        if let created = image.creationDate,
           context.asOf.timeIntervalSince(created) < Double(graceDays) * 86_400 { return [] }
        guard let index = context.workloads else {
            return [Violation("Workloads were not collected, so the image cannot be verified as unused or in use.",
                              evidence: ["workloads": "not collected"])]
        }
        let usage = index.blastRadius(of: ImageKey(image))
        if usage.isUsed { return [] }
        var evidence = usage.evidence
        if let days = notLaunchedDays {
            evidence["notLaunchedDays"] = String(days)
            evidence["lastLaunchedTime"] = image.lastLaunchedTime.map(CivilDate.timestamp) ?? "never"
            if let last = image.lastLaunchedTime, context.asOf.timeIntervalSince(last) < Double(days) * 86_400 { return [] }
        }
        guard usage.isComplete else {
            return [Violation("No workload amigo read uses the image, but the workloads of \(usage.uncollected.count) account×region(s) of \(image.region) were not read, so it cannot be verified as unused.",
                              evidence: evidence)]
        }
        let age = image.creationDate.map { " and was created \(CivilDate.day($0))" } ?? ""
        let launched = notLaunchedDays == nil ? "" : image.lastLaunchedTime.map { ", last launched \(CivilDate.day($0))" } ?? ", never launched"
        return [Violation("No instance, launch template, Auto Scaling group, launch configuration or SSM parameter in any scanned account uses the image\(age)\(launched): deprecate or deregister it.",
                          evidence: evidence)]
    }

    private static var examples: [CheckExample] {
        let image = Image.example()
        let elsewhere = EvaluationContext.workloadExample(workloads: [.example(.instance)])
        let templateOnly = EvaluationContext.workloadExample(workloads: [.example(.launchTemplate)])
        let nothing = EvaluationContext.workloadExample()
        let unread = EvaluationContext.workloadExample(uncollected: ["222222222222"])
        let launchedRecently = Image.example { $0.lastLaunchedTime = Image.daysBeforeExampleAsOf(10) }
        return [
            CheckExample("launched by another member's instance", image: image, context: elsewhere, expect: .pass),
            CheckExample("referenced by a launch template", image: image, context: templateOnly, expect: .pass),
            CheckExample("unused but young", params: "grace-days: 60", image: image, context: nothing, expect: .pass),
            CheckExample("launched recently by someone outside the scan", params: "not-launched-days: 30",
                         image: launchedRecently, context: nothing, expect: .pass),
            CheckExample("nothing in the organisation uses it", image: image, context: nothing,
                         expect: .fail(evidence: ["usedByInstances": "0", "usedByLaunchTemplates": "0", "usedInAccounts": "0", "usageComplete": "yes"])),
            CheckExample("not launched for longer than not-launched-days", params: "not-launched-days: 5",
                         image: launchedRecently, context: nothing,
                         expect: .fail(evidence: ["lastLaunchedTime": "2025-12-22T00:00:00Z", "notLaunchedDays": "5"])),
            CheckExample("never launched", params: "not-launched-days: 5", image: image, context: nothing,
                         expect: .fail(evidence: ["lastLaunchedTime": "never"], message: "never launched")),
            CheckExample("another member's workloads were not read", image: image, context: unread,
                         expect: .fail(evidence: ["usedByInstances": "0", "usageComplete": "no: workloads of 222222222222/us-east-1 were not read"],
                                       message: "cannot be verified as unused")),
            CheckExample("workloads not collected", image: image, expect: .fail(evidence: ["workloads": "not collected"])),
        ]
    }
}
