import Foundation

/// SARIF's `%SRCROOT%` for a policy file: the nearest folder above it that holds `.git` (the
/// checkout code scanning resolves paths against), else the working directory when the file
/// is inside it, else the file's own folder. A path relative to it is the same whatever the
/// working directory and however the path was typed, so code scanning keeps one alert per
/// rule between runs, and no absolute path of the machine reaches a report.
public enum SourceRoot {
    public static func relativePath(of file: URL,
                                    workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        -> String {
        let path = file.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var folder = Array(path.dropLast())
        while folder.count > 1 {
            let marker = URL(fileURLWithPath: NSString.path(withComponents: folder)).appendingPathComponent(".git")
            if FileManager.default.fileExists(atPath: marker.path) {
                return path.dropFirst(folder.count).joined(separator: "/")
            }
            folder.removeLast()
        }
        let here = workingDirectory.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        if path.count > here.count, Array(path.prefix(here.count)) == here {
            return path.dropFirst(here.count).joined(separator: "/")
        }
        return file.lastPathComponent
    }

    /// For a name stored before scans kept the root-relative path: a plain relative name was
    /// already relative to the working directory the scan ran in, so it stays as it is.
    public static func relativePath(stored file: String) -> String {
        if !file.hasPrefix("/") && !file.hasPrefix("..") {
            return file.hasPrefix("./") ? String(file.dropFirst(2)) : file
        }
        return relativePath(of: URL(fileURLWithPath: file))
    }
}
