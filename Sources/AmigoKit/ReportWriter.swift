import AmigoCore
import AmigoReports
import Foundation
import Synchronization

/// Writes the requested formats into the output directory (or one format to standard
/// output); returns the summary and the files written. Settings are checked before anything
/// is scanned (`validate`).
enum ReportWriter {
    static let placeholders = ["{date}", "{scan}", "{evaluation}"]

    static func validate(_ output: OutputSettings) throws {
        if output.destination == .standardOutput && output.formats.count != 1 {
            throw UsageError("--output - writes one format to standard output; got \(output.formats.count) (\(output.formats.map(\.rawValue).joined(separator: ",")))")
        }
        if let name = output.reportName {
            var rest = name
            for p in placeholders { rest = rest.replacingOccurrences(of: p, with: "") }
            if rest.contains("{") || rest.contains("}") || rest.contains("/") || name.isEmpty {
                throw UsageError("--report-name '\(name)': only \(placeholders.joined(separator: ", ")) may be substituted, and no '/'")
            }
        }
    }

    static func write(_ report: Report, output: OutputSettings,
                      context: RenderContext) throws -> (summary: String, files: [URL]) {
        try validate(output)
        let directory = output.directory
        if let directory {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch { throw UsageError("cannot create output directory \(directory.path): \(error.localizedDescription)") }
        }
        let written = Mutex<[String: URL]>([:])
        // Written as rendered, a chunk at a time; formats may be written at once (`Reporters.render`).
        let summary = try Reporters.render(report, formats: output.formats.map(\.rawValue), context: context) { name, write in
            guard let directory else {
                let stream = ReportStream { try FileHandle.standardOutput.write(contentsOf: $0) }
                write(stream)
                return try stream.finish()
            }
            let url = directory.appendingPathComponent(fileName(name, pattern: output.reportName, report: report))
            try writeAtomically(url, write)
            written.withLock { $0[name] = url }
        }
        // In the order of --format, however the formats were rendered.
        let files = written.withLock { urls in
            output.formats.compactMap { Reporters.reporter(for: $0.rawValue).flatMap { urls[$0.fileName] } }
        }
        return (summary, files)
    }

    /// Streams a file into a hidden file beside it and renames it into place once complete: a
    /// reader never sees half a report, and a write that fails leaves the earlier file.
    static func writeAtomically(_ url: URL, _ write: (ReportStream) -> Void) throws {
        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        do {
            guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: partial.path])
            }
            let handle = try FileHandle(forWritingTo: partial)
            let stream = ReportStream { try handle.write(contentsOf: $0) }
            write(stream)
            let written = Result { try stream.finish() }
            try handle.close()
            try written.get()
            guard rename(partial.path, url.path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            var reason = "cannot write \(url.path): \(error.localizedDescription)"
            if FileManager.default.fileExists(atPath: partial.path) {
                do { try FileManager.default.removeItem(at: partial) } catch {
                    reason += " (and \(partial.path), the unfinished copy, could not be removed)"
                }
            }
            throw UsageError(reason)
        }
    }

    /// `pattern` with its placeholders filled, and the format's usual extension.
    static func fileName(_ usual: String, pattern: String?, report: Report) -> String {
        guard let pattern else { return usual }
        let ext = (usual as NSString).pathExtension
        let name = pattern
            .replacingOccurrences(of: "{date}", with: String(AsOf.format(report.scan.startedAt).prefix(10)))
            .replacingOccurrences(of: "{scan}", with: report.scan.id.map(String.init) ?? "unsaved")
            .replacingOccurrences(of: "{evaluation}", with: report.evaluation.map { String($0.id) } ?? "unsaved")
        return name + "." + ext
    }
}
