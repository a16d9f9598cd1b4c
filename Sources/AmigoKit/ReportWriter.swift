import AmigoCore
import AmigoReports
import Foundation

/// Writes the requested formats into the output directory; returns the stdout summary and the
/// files written. Formats are checked before anything is scanned (`validate`).
enum ReportWriter {
    static func validate(formats: [String]) throws {
        let known = Reporters.all.map { $0.id }
        for format in formats where Reporters.reporter(for: format) == nil {
            throw UsageError("unknown report format '\(format)' (known: \(known.joined(separator: ", ")))")
        }
    }

    static func write(_ report: Report, formats: [String], to directory: URL,
                      context: RenderContext) throws -> (summary: String, files: [URL]) {
        try validate(formats: formats)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch { throw UsageError("cannot create output directory \(directory.path): \(error.localizedDescription)") }
        let rendered = Reporters.render(report, formats: formats, context: context)
        var written: [URL] = []
        for file in rendered.files {
            let url = directory.appendingPathComponent(file.fileName)
            try file.data.write(to: url, options: .atomic)
            written.append(url)
        }
        return (rendered.summary, written)
    }
}
