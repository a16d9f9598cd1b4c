import AmigoCore
import Foundation

/// `amigo-bench evaluate [stream|whole] [IMAGES…]`: the rule engine alone, on generated
/// organisations, against policies/baseline.yml. Target: 1,000,000 images in < 5 s and < 1 GiB
/// on 2 cores (release). `stream` (the way `amigo evaluate` reads a catalogue) generates and
/// judges one account×region at a time; `whole` generates the whole inventory first. Peak RSS
/// is the process's, so run each mode in its own process to compare them; with no mode, both
/// run, streaming first.
func runEvaluateBenchmark(_ arguments: [String]) async throws {
    let modes = arguments.first.flatMap { ["stream", "whole"].contains($0) ? [$0] : nil } ?? ["stream", "whole"]
    let numbers = arguments.compactMap { Int($0) }
    let sizes = numbers.isEmpty ? [100_000, 1_000_000] : numbers
    let baseline = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("policies/baseline.yml")
    let policies = try PolicyLoader.load(files: [baseline])
    // Fixed so the generated images' ages, and so the findings, are the same on every run.
    let asOf = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01
    print("evaluate: \(policies.policies.count) policies from \(baseline.relativePath), \(ProcessInfo.processInfo.activeProcessorCount) cores")
    for mode in modes {
        for size in sizes {
            print("  \(mode) \(size) images:")
            let evaluation: Evaluation
            if mode == "stream" {
                // Generation alone, so the engine's share of the streamed wall time can be told apart.
                let (_, generation) = await Measurement.of {
                    SyntheticInventory.batches(images: size).reduce(0) { $0 + $1.images.count }
                }
                print("    generate batch by batch, no evaluation: \(generation.line)")
                let (streamed, measurement) = await Measurement.of {
                    var run = EngineRun(policies: policies, asOf: asOf, organization: SyntheticInventory.organization,
                                        accounts: SyntheticInventory.accounts)
                    for batch in SyntheticInventory.batches(images: size) { run.add(batch) }
                    return run.finish()
                }
                evaluation = streamed
                print("    generate + evaluate batch by batch: \(measurement.line)  resident now \(residentText())")
            } else {
                let (inventory, generation) = await Measurement.of { SyntheticInventory.make(images: size) }
                print("    generated: \(generation.line)  resident now \(residentText())")
                let (whole, measurement) = await Measurement.of {
                    Engine.evaluate(inventory, policies: policies, asOf: asOf)
                }
                evaluation = whole
                print("    evaluate: \(measurement.line)")
            }
            let findings = evaluation.results.reduce(0) { $0 + $1.findings.count }
            print("    images \(evaluation.images.count)  findings \(findings)  waived \(evaluation.waived.count)")
            for result in evaluation.results {
                print("      \(result.policy.id): \(result.findings.count)")
            }
        }
    }
}

private func residentText() -> String { residentMiB().map { "\(Int($0)) MiB" } ?? "?" }

/// Current (not peak) resident memory, so the evaluation's own share of the peak can be told
/// apart from the generated inventory's. Linux only.
private func residentMiB() -> Double? {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return nil }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}
