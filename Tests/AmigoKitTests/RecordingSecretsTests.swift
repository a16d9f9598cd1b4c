import AmigoTestSupport
import Foundation
import Testing

/// Issue 8, item 2: `--record` of a moto organisation scan writes no secret it used — neither
/// the scanner's own secret key nor any session credential moto issued to it — and keeps the
/// recording private to its owner. The replay still works (LiveFailureTests).
@Suite(.serialized) struct RecordingSecretsTests {
    @Test func aRecordingHoldsNoSecretAndIsPrivate() async throws {
        let (moto, _) = try await offPool { try MotoOrganization.start(members: 2, regions: ["us-east-1"], imagesPerRegion: 2) }
        defer { moto.stop() }
        let baseSecret = "amigo-test-secret-\(UUID().uuidString)"
        var environment = MotoOrganization.environment(moto.endpoint)
        environment["AWS_SECRET_ACCESS_KEY"] = baseSecret
        environment["AWS_SESSION_TOKEN"] = "amigo-test-session-token-\(UUID().uuidString)"
        let recording = try temporaryDirectory("secret-rec").appendingPathComponent("fixtures")
        let dir = try temporaryDirectory("secret-scan")
        let result = try await amigo(["collect", "--org", "--regions", "us-east-1", "--quiet", "--record", recording.path,
                                      "--catalog", dir.appendingPathComponent("a.sqlite").path],
                                     environment: environment, killAfter: 120)
        #expect(result.status == 0, "\(result.stderr)")

        // What moto issued to the scan (AssumeRole into each member), from its own state.
        let data = try await offPool { try moto.get("/moto-api/data.json") }
        let state = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let assumed = (state?["sts"] as? [String: Any])?["AssumedRole"] as? [[String: Any]] ?? []
        var secrets = [baseSecret, environment["AWS_SESSION_TOKEN"]!]
        for role in assumed {
            for key in ["secret_access_key", "session_token"] { if let value = role[key] as? String { secrets.append(value) } }
        }
        #expect(assumed.count >= 2, "the scan assumed no member roles: \(assumed.count)")

        let files = try #require(FileManager.default.enumerator(at: recording, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }
        #expect(files.contains { $0.path.contains("/sts/") && $0.lastPathComponent.hasPrefix("AssumeRole") })
        for file in files {
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
            let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
            #expect(mode == (isDirectory ? 0o700 : 0o600), "\(file.path) has mode \(String(mode, radix: 8))")
            guard !isDirectory else { continue }
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            for secret in secrets {
                #expect(!text.contains(secret), "\(file.lastPathComponent) holds a secret (\(secret.prefix(6))…)")
            }
        }
        let rootMode = (try FileManager.default.attributesOfItem(atPath: recording.path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(rootMode == 0o700)
    }
}
