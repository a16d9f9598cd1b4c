import CFuzzDriver
import Foundation

/// The parser under test; set once, before libFuzzer starts, never changed.
nonisolated(unsafe) private var target: ((Data) -> Void)?

/// Hands every input libFuzzer generates to `body`. A parser may throw or reject anything;
/// only a crash, a sanitizer report, a hang (`-timeout`) or memory blow-up (`-rss_limit_mb`)
/// is a finding.
public func fuzz(_ body: @escaping (Data) -> Void) -> Never {
    target = body
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(amigo_fuzz_run(&argc, &argv) { data, size in
        target?(size == 0 ? Data() : Data(bytes: data!, count: size))
        return 0
    })
}

/// Splits an input at its first NUL byte, for targets that read two files at once.
public func halves(_ data: Data) -> (Data, Data) {
    guard let nul = data.firstIndex(of: 0) else { return (data, Data()) }
    return (data[..<nul], data[data.index(after: nul)...])
}

/// A fresh private directory for targets whose parser reads files.
public func scratchDirectory(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("amigo-fuzz-\(name)-\(getpid())", isDirectory: true)
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes a file a parser will read; empty content removes it instead. Foundation on Linux
/// leaks 4 kB reading an empty file (`Data(contentsOf:)`, `String(contentsOfFile:)`), which
/// LeakSanitizer would report as amigo's; to amigo's loaders a missing and an empty file
/// both mean "nothing there".
public func place(_ content: Data, at file: URL) {
    if content.isEmpty { try? FileManager.default.removeItem(at: file) } else { try! content.write(to: file) }
}
