import AmigoAWS
import Foundation

/// Shared helpers: parse literal bodies and locate committed fixtures from the source tree,
/// so no Package.swift resources are needed.
enum Wire {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let demoOrg = repoRoot.appendingPathComponent("fixtures/demo-org")
    static let moto = repoRoot.appendingPathComponent("fixtures/wire/moto")

    static func xml(_ text: String) throws -> XMLNode { try XMLDocument.parse(Data(text.utf8)) }
    static func file(_ url: URL) throws -> XMLNode { try XMLDocument.parse(Data(contentsOf: url)) }
    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }
    static func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    static let ec2NS = "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\""
}
