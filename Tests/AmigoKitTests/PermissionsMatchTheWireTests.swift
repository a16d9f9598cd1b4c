import AmigoTestSupport
import Foundation
import Testing

/// Issue 9, item 6 (with issue 8, item 9): `amigo permissions` prints exactly the IAM actions a
/// scan with the same flags sends — checked against every request moto received, for every
/// account selection and policy pack. Neither a missing nor an extra action.
@Suite(.serialized) struct PermissionsMatchTheWireTests {
    enum Selection: String, CaseIterable { case caller, org, ou, accounts }
    static let packs = ["policies/baseline.yml", "policies/guardrails.yml"]

    @Test func permissionsEqualTheActionsEveryScanSends() async throws {
        let recording = try temporaryDirectory("moto-perm").appendingPathComponent("requests.jsonl")
        let (moto, seeded) = try await offPool {
            try MotoOrganization.start(members: 2, regions: ["us-east-1"], imagesPerRegion: 3, recording: recording)
        }
        defer { moto.stop() }
        let ou = try #require(seeded.organization.ou.split(separator: "/").last.map(String.init))
        for pack in Self.packs {
            for selection in Selection.allCases {
                let flags: [String]
                switch selection {
                case .caller: flags = []
                case .org: flags = ["--org"]
                case .ou: flags = ["--org", "--ou", ou]
                case .accounts: flags = ["--accounts", seeded.members.joined(separator: ",")]
                }
                try await offPool {
                    try moto.post("/moto-api/recorder/reset-recording")
                    try moto.post("/moto-api/recorder/start-recording")
                }
                let dir = try temporaryDirectory("perm-scan")
                let scan = try await amigo(["scan", "--policies", pack, "--regions", "us-east-1", "--quiet",
                                            "--output", dir.path, "--catalog", dir.appendingPathComponent("a.sqlite").path,
                                            "--format", "json"] + flags,
                                           environment: MotoOrganization.environment(moto.endpoint), killAfter: 120)
                try await offPool { try moto.post("/moto-api/recorder/stop-recording") }
                // 3 is fine here: moto answers some guardrail calls with errors, and what counts
                // is which calls were sent.
                #expect([0, 1, 3].contains(scan.status), "\(pack) \(flags): \(scan.stderr)")
                let sent = try MotoRecording.iamActions(in: recording)

                let printed = try await amigo(["permissions", "--policies", pack] + flags, killAfter: 30)
                #expect(printed.status == 0, "\(printed.stderr)")
                let document = try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any]
                let statement = (document?["Statement"] as? [[String: Any]])?.first
                let listed = Set(statement?["Action"] as? [String] ?? [])

                #expect(sent.subtracting(listed).isEmpty, "\(pack) \(flags): sent but not in permissions: \(sent.subtracting(listed).sorted())")
                #expect(listed.subtracting(sent).isEmpty, "\(pack) \(flags): in permissions but never sent: \(listed.subtracting(sent).sorted())")
                #expect(!sent.isEmpty)
            }
        }
    }
}

extension PermissionsMatchTheWireTests {
    /// The workload collection (Auto Scaling, SSM, DescribeInstanceImageMetadata,
    /// lastLaunchedTime) through `--collect full`, whose plan has every data need: the
    /// permissions for it are exactly what it sends, those of the packs without workload
    /// checks name none of the new actions, and policies/workloads.yml sends exactly its own.
    @Test func fullCollectionWithWorkloadsSendsExactlyItsPermissions() async throws {
        let recording = try temporaryDirectory("moto-perm-full").appendingPathComponent("requests.jsonl")
        let workloads = try temporaryDirectory("moto-perm-full").appendingPathComponent("workloads.json")
        let (moto, _) = try await offPool {
            try MotoOrganization.start(members: 2, regions: ["us-east-1"], imagesPerRegion: 2, recording: recording,
                                       workloadsFile: workloads)
        }
        defer { moto.stop() }
        let dir = try temporaryDirectory("perm-full")
        let scan = try await amigo(["collect", "--org", "--regions", "us-east-1", "--collect", "full", "--quiet",
                                    "--catalog", dir.appendingPathComponent("a.sqlite").path],
                                   environment: MotoOrganization.environment(moto.endpoint), killAfter: 180)
        try await offPool { try moto.post("/moto-api/recorder/stop-recording") }
        #expect([0, 3].contains(scan.status), "\(scan.stderr)")
        let sent = try MotoRecording.iamActions(in: recording)
        let full = try await Self.listed(["permissions", "--org", "--full"])
        #expect(sent.subtracting(full).isEmpty, "sent but not in permissions: \(sent.subtracting(full).sorted())")
        #expect(full.subtracting(sent).isEmpty, "in permissions but never sent: \(full.subtracting(sent).sorted())")
        let workloadActions: Set = ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeLaunchConfigurations",
                                    "ssm:DescribeParameters", "ssm:GetParameters", "ec2:DescribeInstanceImageMetadata"]
        #expect(workloadActions.isSubset(of: sent))
        for pack in Self.packs {
            let listed = try await Self.listed(["permissions", "--org", "--policies", pack])
            #expect(listed.isDisjoint(with: workloadActions), "\(pack) needs no workloads")
        }

        // The workload pack: a scan with it sends exactly what its permissions list.
        let pack = "policies/workloads.yml"
        try await offPool {
            try moto.post("/moto-api/recorder/reset-recording")
            try moto.post("/moto-api/recorder/start-recording")
        }
        let packScan = try await amigo(["scan", "--org", "--regions", "us-east-1", "--policies", pack, "--quiet",
                                        "--output", dir.path, "--catalog", dir.appendingPathComponent("b.sqlite").path,
                                        "--format", "json"],
                                       environment: MotoOrganization.environment(moto.endpoint), killAfter: 180)
        try await offPool { try moto.post("/moto-api/recorder/stop-recording") }
        #expect([0, 1, 3].contains(packScan.status), "\(packScan.stderr)")
        let packSent = try MotoRecording.iamActions(in: recording)
        let packListed = try await Self.listed(["permissions", "--org", "--policies", pack])
        #expect(packSent.subtracting(packListed).isEmpty, "\(pack): sent but not in permissions: \(packSent.subtracting(packListed).sorted())")
        #expect(packListed.subtracting(packSent).isEmpty, "\(pack): in permissions but never sent: \(packListed.subtracting(packSent).sorted())")
        #expect(packListed.isSuperset(of: ["autoscaling:DescribeAutoScalingGroups", "ssm:GetParameters"]))
    }

    static func listed(_ arguments: [String]) async throws -> Set<String> {
        let printed = try await amigo(arguments, killAfter: 30)
        #expect(printed.status == 0, "\(printed.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any]
        let statement = (document?["Statement"] as? [[String: Any]])?.first
        return Set(statement?["Action"] as? [String] ?? [])
    }
}

extension MotoRecording {
    /// The IAM actions (`service:Action`) of every recorded request, the service read from
    /// its SigV4 credential scope.
    static func iamActions(in file: URL) throws -> Set<String> {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        var actions: Set<String> = []
        for line in text.split(separator: "\n") {
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            let headers = entry["headers"] as? [String: String] ?? [:]
            func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name }?.value }
            guard let authorization = header("authorization"),
                  let scope = authorization.components(separatedBy: "Credential=").last?.split(separator: ",").first else { continue }
            let parts = scope.split(separator: "/")
            guard parts.count == 5 else { continue }
            let service = String(parts[3])
            if let target = header("x-amz-target") {
                actions.insert("\(service):\(target.split(separator: ".").last ?? "")")
                continue
            }
            var body = entry["body"] as? String ?? ""
            if entry["body_encoded"] as? Bool == true, let data = Data(base64Encoded: body) {
                body = String(decoding: data, as: UTF8.self)
            }
            let form = body.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1) }
            if let action = form.first(where: { $0.first == "Action" }), action.count > 1 {
                actions.insert("\(service):\(action[1])")
            }
        }
        return actions
    }
}
