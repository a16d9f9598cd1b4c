import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files only their owner can read, created so from the start (no moment at the umask's mode).
enum PrivateFiles {
    /// Creates `url` (and, up to `root`, its parents) as 0700; an existing one is made 0700.
    static func makeDirectory(_ url: URL, under root: URL? = nil) throws {
        var missing: [URL] = []
        var current = url
        while !FileManager.default.fileExists(atPath: current.path) {
            missing.append(current)
            if let root, current.standardizedFileURL.path == root.standardizedFileURL.path { break }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { break }
            current = parent
        }
        for directory in missing.reversed() {
            if mkdir(directory.path, 0o700) != 0 && errno != EEXIST {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: directory.path])
            }
        }
        if chmod(url.path, 0o700) != 0 {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
    }

    /// Writes `data` to a 0600 temporary file beside `url`, then renames it into place.
    static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary.path]) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}
