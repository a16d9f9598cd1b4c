// `--baseline findings.json`: an earlier run's report, often an artifact another CI job wrote.
@testable import AmigoKit
import Foundation
import FuzzHarness

let file = scratchDirectory("baseline-json").appendingPathComponent("findings.json")

fuzz { data in
    place(data, at: file)
    _ = try? Baseline.load(file)
}
