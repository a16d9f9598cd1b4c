import AmigoTestSupport
import Foundation

/// A moto server seeded with an organisation by scripts/moto/seed_org.py, and what was seeded.
struct SeededOrganization: Decodable {
    struct Entry: Decodable { var account: String; var region: String; var imageId: String; var violations: [String] }
    struct Org: Decodable { var id: String; var arn: String; var ou: String }
    var organization: Org
    var management: String
    var members: [String]
    var regions: [String]
    var images: [Entry]

    var accounts: [String] { [management] + members }

    /// Violations per "account/region/image", for images that must have any.
    var expectedViolations: [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for image in images where !image.violations.isEmpty {
            out["\(image.account)/\(image.region)/\(image.imageId)"] = Set(image.violations)
        }
        return out
    }
}

enum MotoOrganization {
    static let scripts = repositoryRoot.appendingPathComponent("scripts/moto")

    /// Starts moto (with the management account's base images) and seeds it. `recording`:
    /// moto writes every request it receives to this file once seeding is done.
    /// `workloads`: moto also gets a public image of a foreign account and the fixes of
    /// `moto_fixes.py`, and `seed_workloads.py` seeds instances, templates, groups and
    /// parameters, writing what they are to `workloadsFile`.
    static func start(members: Int = 2, regions: [String] = ["us-east-1", "eu-west-1"], imagesPerRegion: Int = 7,
                      recording: URL? = nil, workloadsFile: URL? = nil) throws -> (MotoServer, SeededOrganization) {
        var environment = ["MOTO_AMIS_PATH": scripts.appendingPathComponent("base_amis.json").path]
        if workloadsFile != nil {
            environment["MOTO_AMIS_PATH"] = scripts.appendingPathComponent("workload_amis.json").path
            environment["AMIGO_MOTO_PRELOAD"] = scripts.appendingPathComponent("moto_fixes.py").path
        }
        if let recording { environment["MOTO_RECORDER_FILEPATH"] = recording.path }
        let moto = try MotoServer.start(environment: environment)
        let out = try temporaryDirectory("seed").appendingPathComponent("seeded.json")
        let seed = Process()
        seed.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        seed.arguments = ["python3", scripts.appendingPathComponent("seed_org.py").path,
                          "--endpoint", moto.endpoint.absoluteString, "--out", out.path,
                          "--members", String(members), "--regions", regions.joined(separator: ","),
                          "--images-per-region", String(imagesPerRegion),
                          "--base-amis", scripts.appendingPathComponent("base_amis.json").path]
        try seed.run()
        seed.waitUntilExit()
        guard seed.terminationStatus == 0 else {
            moto.stop()
            throw SeedError(status: seed.terminationStatus)
        }
        if let workloadsFile {
            let workloads = Process()
            workloads.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            workloads.arguments = ["python3", scripts.appendingPathComponent("seed_workloads.py").path,
                                   "--endpoint", moto.endpoint.absoluteString, "--seeded", out.path, "--out", workloadsFile.path]
            try workloads.run()
            workloads.waitUntilExit()
            guard workloads.terminationStatus == 0 else {
                moto.stop()
                throw SeedError(status: workloads.terminationStatus)
            }
        }
        if recording != nil {
            try moto.post("/moto-api/recorder/reset-recording")
            try moto.post("/moto-api/recorder/start-recording")
        }
        let seeded = try JSONDecoder().decode(SeededOrganization.self, from: Data(contentsOf: out))
        return (moto, seeded)
    }

    struct SeedError: Error { var status: Int32 }

    /// The environment the `amigo` binary gets: the AWS CLI's endpoint override and keys.
    static func environment(_ endpoint: URL) -> [String: String] {
        ["AWS_ENDPOINT_URL": endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing",
         "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", "AWS_PROFILE": "",
         "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
         "AWS_EC2_METADATA_DISABLED": "true"]
    }
}
