import AmigoCatalog
import AmigoCore
import AmigoTestSupport
import Foundation
import Testing

/// `amigo scan --org` against a seeded moto organisation, through the endpoint override,
/// exactly as against AWS: SigV4, STS AssumeRole into each member, Organizations, EC2.
@Suite(.serialized) struct LiveScanTests {
    @Test func orgScanCollectsEveryAccountAndRegionAndFindsWhatWasSeeded() async throws {
        let recording = try temporaryDirectory("moto-rec").appendingPathComponent("requests.jsonl")
        let (moto, seeded) = try await offPool { try MotoOrganization.start(recording: recording) }
        defer { moto.stop() }
        let dir = try temporaryDirectory("live")
        let catalogPath = dir.appendingPathComponent("amigo.sqlite").path
        let result = try await amigo(["scan", "--org", "--regions", seeded.regions.joined(separator: ","),
                                      "--output", dir.path, "--catalog", catalogPath, "--quiet",
                                      "--format", "json,junit,html,sarif,csv"],
                                     environment: MotoOrganization.environment(moto.endpoint))
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        let identities = try ReportIdentities(dir)
        #expect(identities.all.count == 3, "json \(identities.json.count) sarif \(identities.sarif.count) csv \(identities.csv.count)")
        for ids in identities.all { #expect(Set(ids).count == ids.count, "\(ids.count) findings, \(Set(ids).count) identities") }

        let catalog = try Catalog(path: catalogPath)
        let scan = try #require(try catalog.latestScanID(completeOnly: true), "scan incomplete: \(result.stderr)")
        let inventory = try catalog.inventory(scan: scan)
        #expect(inventory.errors.isEmpty, "\(inventory.errors)")
        let scanned = Set(inventory.coverage.filter { $0.status == .scanned }.map { "\($0.accountId)/\($0.region)" })
        let wanted = Set(seeded.accounts.flatMap { account in seeded.regions.map { "\(account)/\($0)" } })
        #expect(scanned == wanted)
        #expect(inventory.organization?.arn == seeded.organization.arn)

        var actual: [String: Set<String>] = [:]
        for finding in try catalog.latestFindings(scan: scan) {
            actual["\(finding.accountId)/\(finding.region)/\(finding.resourceId)", default: []].insert(finding.policyId)
        }
        #expect(actual == seeded.expectedViolations)

        // A second scan of the same organisation: the same findings have the same identities.
        let again = dir.appendingPathComponent("again")
        let second = try await amigo(["scan", "--org", "--regions", seeded.regions.joined(separator: ","),
                                      "--output", again.path, "--catalog", catalogPath, "--quiet", "--format", "json"],
                                     environment: MotoOrganization.environment(moto.endpoint))
        #expect(second.status == 1, "\(second.stderr)")
        #expect(Set(try ReportIdentities(again).json) == Set(identities.json))

        // Read-only on the wire: every request moto received during the scan.
        let actions = try MotoRecording.actions(in: recording)
        #expect(actions.count > 20)
        for action in Set(actions) {
            #expect(["Describe", "Get", "List", "AssumeRole"].contains { action.hasPrefix($0) }, "amigo sent \(action)")
        }
    }
}

extension LiveScanTests {
    @Test func ouAndExcludeNarrowTheOrganisation() async throws {
        let (moto, seeded) = try await offPool { try MotoOrganization.start(members: 3, regions: ["eu-west-1"], imagesPerRegion: 2) }
        defer { moto.stop() }
        let ou = try #require(seeded.organization.ou.split(separator: "/").last.map(String.init))
        let excluded = seeded.members[2]
        let dir = try temporaryDirectory("ou")
        let catalogPath = dir.appendingPathComponent("amigo.sqlite").path
        let result = try await amigo(["collect", "--org", "--ou", ou, "--exclude-accounts", excluded,
                                      "--regions", "eu-west-1", "--catalog", catalogPath, "--quiet"],
                                     environment: MotoOrganization.environment(moto.endpoint))
        #expect(result.status == 0, "\(result.stderr)")
        let catalog = try Catalog(path: catalogPath)
        let inventory = try catalog.inventory(scan: #require(try catalog.latestScanID(completeOnly: true)))
        let scanned = Set(inventory.coverage.filter { $0.status == .scanned }.map(\.accountId))
        // The management account is not in the OU; the excluded member is left out.
        #expect(scanned == Set(seeded.members.prefix(2)))
    }
}

/// Reads moto's request recording (MOTO_RECORDER_FILEPATH): one JSON object per request.
enum MotoRecording {
    static func actions(in file: URL) throws -> [String] {
        let text = try String(contentsOf: file, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> String? in
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            let headers = entry["headers"] as? [String: String] ?? [:]
            if let target = headers.first(where: { $0.key.lowercased() == "x-amz-target" })?.value {
                return String(target.split(separator: ".").last ?? "")
            }
            var body = entry["body"] as? String ?? ""
            if entry["body_encoded"] as? Bool == true, let data = Data(base64Encoded: body) {
                body = String(decoding: data, as: UTF8.self)
            }
            let form = body.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1) }
            return form.first { $0.first == "Action" }.flatMap { $0.count > 1 ? String($0[1]) : nil }
        }
    }
}
