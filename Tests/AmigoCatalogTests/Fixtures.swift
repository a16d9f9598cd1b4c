@testable import AmigoCatalog
import AmigoCore
import Foundation
import GRDB
import Testing

/// Where a test's catalogue lives: both must behave the same.
enum Storage: String, CaseIterable, CustomTestStringConvertible {
    case file, memory
    var testDescription: String { rawValue }
}

/// A fresh directory per test, removed when the test ends.
final class TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("amigo-catalog-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    /// A path one directory deeper than exists, so `Catalog.init` must create it.
    var catalogPath: String { url.appendingPathComponent("nested/catalog.sqlite").path }
}

func makeCatalog(_ storage: Storage, in directory: TemporaryDirectory) throws -> Catalog {
    switch storage {
    case .file: try Catalog(path: directory.catalogPath)
    case .memory: try Catalog.inMemory()
    }
}

func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

extension Catalog {
    func startTestScan(source: String = "test", startedAt: Date = at(1_700_000_000)) throws -> Int64 {
        try startScan(startedAt: startedAt, asOf: at(1_700_000_500), source: source,
                      policyText: "policies: []", options: "{}")
    }

    /// Rows of a table across all scans, straight from SQLite.
    func count(_ table: String) throws -> Int {
        try writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }
}

enum Sample {
    static let account = "111122223333"
    static let region = "eu-west-1"

    /// Every optional field set, every collection non-empty, every permission kind.
    static func fullImage(_ id: String = "ami-0123456789abcdef0", account: String = account,
                          region: String = region) -> Image {
        Image(accountId: account, region: region, imageId: id, name: "web-2024", description: "golden web",
              ownerId: "999988887777", ownerAlias: "amazon", creationDate: at(1_600_000_000),
              deprecationTime: at(1_800_000_000.5), state: "deregistered", isPublic: true,
              virtualizationType: "paravirtual", architecture: "arm64", imageType: "kernel",
              rootDeviceType: "instance-store", rootDeviceName: "/dev/sda1", bootMode: "uefi",
              imdsSupport: "v2.0", tpmSupport: "v2.0", enaSupport: true, platform: "windows",
              platformDetails: "Windows with SQL Server", usageOperation: "RunInstances:0102",
              sourceImageId: "ami-source", sourceImageRegion: "us-east-1", deregistrationProtection: "enabled",
              lastLaunchedTime: at(1_650_000_000), tags: [Tag("Owner", "team@example.com"), Tag("Env", "prod")],
              blockDevices: [
                  BlockDevice(deviceName: "/dev/sda1", snapshotId: "snap-1", volumeSize: 30, volumeType: "gp3",
                              encrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k",
                              deleteOnTermination: false),
                  BlockDevice(deviceName: "/dev/sdb", virtualName: "ephemeral0"),
              ],
              launchPermissions: [.everyone, .account("444455556666"),
                                  .organization("arn:aws:organizations::1:organization/o-1"),
                                  .organizationalUnit("arn:aws:organizations::1:ou/o-1/ou-1")],
              instanceCount: 3)
    }

    /// Every optional field nil, every collection empty or not collected.
    static func bareImage(_ id: String = "ami-bare", account: String = account, region: String = region,
                          launchPermissions: [LaunchPermission]? = nil) -> Image {
        Image(accountId: account, region: region, imageId: id, ownerId: account, state: "pending", isPublic: false,
              virtualizationType: nil,
              architecture: nil, imageType: nil, rootDeviceType: nil, rootDeviceName: nil,
              enaSupport: nil, launchPermissions: launchPermissions, instanceCount: nil)
    }

    static func images(_ count: Int, account: String = account, region: String = region) -> [Image] {
        (0..<count).map { fullImage("ami-\(account)-\(region)-\($0)", account: account, region: region) }
    }
}
