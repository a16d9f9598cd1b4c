import AmigoCore
import Foundation

/// `amigo-bench evaluate [IMAGES…]`: the rule engine alone, on generated inventories, against
/// policies/baseline.yml. Target: 1,000,000 images in < 5 s and < 1 GiB on 2 cores (release).
func runEvaluateBenchmark(_ arguments: [String]) async throws {
    let sizes = arguments.isEmpty ? [100_000, 1_000_000] : arguments.compactMap { Int($0) }
    let baseline = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("policies/baseline.yml")
    let policies = try PolicyLoader.load(files: [baseline])
    // Fixed so the generated images' ages, and so the findings, are the same on every run.
    let asOf = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01
    print("evaluate: \(policies.policies.count) policies from \(baseline.relativePath), \(ProcessInfo.processInfo.activeProcessorCount) cores")
    for size in sizes {
        let (inventory, generation) = await Measurement.of { SyntheticInventory.make(images: size) }
        print("  generated \(size) images: \(generation.line)")
        let (evaluation, measurement) = await Measurement.of {
            Engine.evaluate(inventory, policies: policies, asOf: asOf)
        }
        let findings = evaluation.results.reduce(0) { $0 + $1.findings.count }
        print("  images \(evaluation.images.count)  findings \(findings)  waived \(evaluation.waived.count)")
        for result in evaluation.results {
            print("    \(result.policy.id): \(result.findings.count)")
        }
        print("  evaluate: \(measurement.line)")
    }
}
