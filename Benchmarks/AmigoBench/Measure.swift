import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wall time, CPU time and peak resident memory of a block, as the benchmarks report them.
struct Measurement {
    var wall: Double
    var cpu: Double
    var peakRSSMiB: Double

    static func of<T>(_ body: () async throws -> T) async rethrows -> (T, Measurement) {
        let cpu0 = cpuSeconds()
        let t0 = DispatchTime.now().uptimeNanoseconds
        let value = try await body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        return (value, Measurement(wall: wall, cpu: cpuSeconds() - cpu0, peakRSSMiB: peakRSS()))
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Peak RSS of the whole process (Linux reports ru_maxrss in KiB).
    static func peakRSS() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    var line: String {
        String(format: "wall %.3f s  cpu %.3f s  peak RSS %.0f MiB", wall, cpu, peakRSSMiB)
    }
}
