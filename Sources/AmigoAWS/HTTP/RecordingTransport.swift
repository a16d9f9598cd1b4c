import Foundation
import Synchronization

/// Passes requests to `inner` and writes every response into `directory` with an
/// `index.json` in the `FixtureIndex` format, so `ReplayTransport` serves them back. Files
/// are named `service/region/accessKeyId/Action-N.xml` (or `.json`). The index is rewritten
/// at most once a second while recording (a run that dies midway still leaves a usable
/// recording, without rewriting a growing index per exchange) and by `flush()` at the end.
///
/// A recording may be committed to a repository, so it holds no secret: credential values in
/// answers are redacted before anything is written (`SecretRedaction`), unsigned exchanges
/// (instance metadata, container credentials, web identity) are not recorded at all (replay
/// never makes them), request headers are never written, and the folder is private to its
/// owner (0700, files 0600).
public final class RecordingTransport: Transport {
    public let inner: any Transport
    public let directory: URL
    private struct State {
        var index: FixtureIndex
        var counters: [String: Int] = [:]
        var lastWrite: Double = 0
    }
    private let state: Mutex<State>

    public init(wrapping inner: any Transport, directory: URL, now: Date = Date()) throws {
        self.inner = inner
        self.directory = directory
        try PrivateFiles.makeDirectory(directory)
        let stamp = ISO8601DateFormatter().string(from: now)
        state = Mutex(State(index: FixtureIndex(recordedAt: stamp, exchanges: [])))
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await inner.send(request)
        try record(request, response)
        return response
    }

    private func record(_ request: HTTPRequest, _ response: HTTPResponse) throws {
        guard let scope = SigV4.credentialScope(of: request) else { return }
        let key = FixtureKey.key(for: request)
        let body = try SecretRedaction.redacting(response.body)
        let contentType = response.headers["content-type"]
        let ext = (contentType ?? "").contains("json") ? "json" : "xml"
        let folder = [scope.service, scope.region, scope.accessKeyId].map(Self.safe).joined(separator: "/")
        let action = Self.safe(Self.action(of: request))
        try state.withLock { s in
            let n = s.counters[folder + "/" + action, default: 0] + 1
            s.counters[folder + "/" + action] = n
            let file = "\(folder)/\(action)-\(n).\(ext)"
            let url = directory.appendingPathComponent(file)
            try PrivateFiles.makeDirectory(url.deletingLastPathComponent(), under: directory)
            try PrivateFiles.write(body, to: url)
            s.index.exchanges.append(.init(key: key, status: response.status, file: file, contentType: contentType))
            if s.index.baseAccessKeyId == nil { s.index.baseAccessKeyId = scope.accessKeyId }
            let now = Date().timeIntervalSince1970
            if now - s.lastWrite >= 1 {
                try writeIndex(s.index)
                s.lastWrite = now
            }
        }
    }

    /// Writes the complete index; call when the run is over.
    public func flush() throws {
        try state.withLock { s in try writeIndex(s.index) }
    }

    private func writeIndex(_ index: FixtureIndex) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try PrivateFiles.write(encoder.encode(index), to: directory.appendingPathComponent("index.json"))
    }

    static func action(of request: HTTPRequest) -> String {
        if let target = request.headers["X-Amz-Target"] {
            return String(target.split(separator: ".").last ?? "Request")
        }
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") where pair.hasPrefix("Action=") {
            return String(pair.dropFirst("Action=".count))
        }
        return request.method
    }

    /// Keeps names portable: letters, digits, `-`, `_`, `.` only.
    static func safe(_ s: String) -> String {
        String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" })
    }
}
