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
        print("  generated \(size) images: \(generation.line)  resident now \(residentMiB().map { String(Int($0)) } ?? "?") MiB")
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

/// Current (not peak) resident memory, so the evaluation's own share of the peak can be told
/// apart from the generated inventory's. Linux only.
private func residentMiB() -> Double? {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return nil }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}
