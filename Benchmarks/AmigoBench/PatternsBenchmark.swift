import AmigoCore
import Foundation

/// Tag-value patterns that make a backtracking engine take exponential time, searched on
/// 256-character values (AWS's longest tag value) that almost match, each search uncached:
/// `amigo-bench patterns [SEARCHES]`. With Swift's Regex the first of these took 55 s on a
/// 20-character value.
func runPatternsBenchmark(_ arguments: [String]) throws {
    let searches = arguments.first.flatMap(Int.init) ?? 2_000
    let long = String(repeating: "a", count: 255)
    let cases: [(pattern: String, value: String)] = [
        (#"^(a+)+$"#, long + "!"),
        (#"^([a-z0-9]+[._-]?)+@example\.com$"#, long + "!"),
        (#"^(a|a)*$"#, long + "!"),
        (#"^(a|aa)+$"#, long + "!"),
        (#"^(a*)*b$"#, long + "!"),
        (#"(x+x+)+y"#, String(repeating: "x", count: 256)),
        (#"^(\w+\s?)*$"#, long + "!"),
        (#"^[a-z][a-z0-9.-]*@example\.com$"#, long + "!"),  // the baseline's Owner pattern
    ]
    print("patterns benchmark: \(searches) uncached searches per pattern on a 256-character value (RE2)")
    for (pattern, value) in cases {
        let regex = try LinearRegex(pattern)
        var times: [Double] = []
        times.reserveCapacity(searches)
        var matched = 0
        for _ in 0..<searches {
            let t0 = DispatchTime.now().uptimeNanoseconds
            if regex.search(value) { matched += 1 }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
        }
        times.sort()
        let median = times[times.count / 2], p99 = times[times.count * 99 / 100], worst = times.last ?? 0
        let name = pattern.padding(toLength: 38, withPad: " ", startingAt: 0)
        print("  \(name)" + String(format: " median %7.2f µs  p99 %7.2f µs  max %8.2f µs  matched %d/%d",
                                     median, p99, worst, matched, searches))
    }
}
