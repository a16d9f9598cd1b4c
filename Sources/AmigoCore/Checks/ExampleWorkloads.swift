import Foundation

/// Workloads for check examples: in 222222222222 us-east-1 (a member of `EvaluationContext.example`'s
/// organisation, whose workloads were read), launched a week before the examples' as-of date.
extension Workload {
    static func example(_ kind: Kind = .instance, imageId: String? = Image.example().imageId,
                        configure: (inout Workload) -> Void = { _ in }) -> Workload {
        var workload = Workload(accountId: "222222222222", region: "us-east-1", kind: kind,
                                resourceId: kind == .instance ? "i-0example000000001" : "example-\(kind.rawValue)",
                                name: "web-1", state: kind == .instance ? "running" : nil,
                                launchTime: Image.daysBeforeExampleAsOf(7), tags: [], imageId: imageId, via: nil,
                                imageMetadata: nil)
        configure(&workload)
        return workload
    }
}

extension EvaluationContext {
    /// The examples' organisation with both members' us-east-1 read (workloads included):
    /// `owned` are images of scanned accounts, `referenced` the answers of `DescribeImages
    /// ImageIds=…`, `settings` the region settings.
    static func workloadExample(owned: [Image] = [.example()], referenced: [ReferencedImage] = [],
                                workloads: [Workload] = [], settings: [RegionSettings] = [],
                                uncollected: [String] = []) -> EvaluationContext {
        var context = EvaluationContext.example
        let coverage = ["111111111111", "222222222222"].map {
            RegionCoverage(accountId: $0, region: "us-east-1", status: uncollected.contains($0) ? .failed : .scanned)
        }
        context.workloads = WorkloadIndex(workloads: workloads, referencedImages: referenced, coverage: coverage, errors: [])
        context.ownedImages = Dictionary(owned.map { (ImageKey($0), $0) }, uniquingKeysWith: { first, _ in first })
        for s in settings { context.regionSettings["\(s.accountId)/\(s.region)"] = s }
        context.accounts = ["111111111111": Account(id: "111111111111", parentId: "ou-exam-11111111"),
                            "222222222222": Account(id: "222222222222", parentId: "ou-exam-22222222")]
        return context
    }
}

extension CheckExample {
    /// A workload example: `context` says what is known about the images it could launch.
    public init(_ name: String, params: String = "", workload: Workload, context: EvaluationContext,
                expect: Expectation) {
        self.name = name; self.params = params; self.subject = workload
        self.context = context; self.expect = expect
    }
}
