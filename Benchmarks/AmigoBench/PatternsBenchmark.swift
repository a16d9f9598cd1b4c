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
        (#"^(a+)+$"#, long + "a"),  // a match, for contrast
        (#"^([a-z0-9]+[._-]?)+@example\.com$"#, long + "!"),
        (#"^(a|a)*$"#, long + "!"),
        (#"^(a|aa)+$"#, long + "!"),
        (#"^(a*)*b$"#, long + "!"),
        (#"(x+x+)+y"#, String(repeating: "x", count: 256)),
        (#"^(\w+\s?)*$"#, long + "!"),
        (#"^[a-z][a-z0-9.-]*@example\.com$"#, long + "!"),  // the baseline's Owner pattern
    ]
    print("patterns benchmark: \(searches) uncached searches per pattern on a 256-character value (RE2); wall times but the max")
    for (pattern, value) in cases {
        let regex = try LinearRegex(pattern)
        // The first search also builds RE2's lazy DFA states: shown apart from the steady state.
        let cold0 = DispatchTime.now().uptimeNanoseconds
        let matches = regex.search(value)
        let cold = Double(DispatchTime.now().uptimeNanoseconds - cold0) / 1e3
        var times: [Double] = []
        times.reserveCapacity(searches)
        var matched = 0, worstCPU = 0.0
        for _ in 0..<searches {
            let cpu0 = threadCPUMicroseconds(), t0 = DispatchTime.now().uptimeNanoseconds
            if regex.search(value) { matched += 1 }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
            worstCPU = max(worstCPU, threadCPUMicroseconds() - cpu0)
        }
        times.sort()
        let median = times[times.count / 2], p99 = times[times.count * 99 / 100]
        let name = pattern.padding(toLength: 38, withPad: " ", startingAt: 0)
        print("  \(name)" + String(format: " first %6.2f µs  median %5.2f µs  p99 %5.2f µs  max CPU %6.2f µs",
                                     cold, median, p99, worstCPU) + "  \(matches ? "match" : "no match") \(matched)/\(searches)")
    }
}

/// This thread's CPU time: the slowest search by the clock is the one the scheduler paused (on a
/// shared machine, milliseconds), not the slowest RE2 ran. Includes the clock's own system call.
private func threadCPUMicroseconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) * 1e6 + Double(now.tv_nsec) / 1e3
}
