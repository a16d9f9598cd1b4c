import AmigoCore
import Foundation

/// A deterministic organisation of `count` images with the same mix of violations as the demo,
/// spread over 10 accounts × 4 regions, for benchmarks. Image `i` lives in account `i % 10`,
/// region `(i / 10) % 4`, whether generated whole or batch by batch.
enum SyntheticInventory {
    static let accounts = (0..<10).map { Account(id: String(format: "1000000000%02d", $0), name: "account-\($0)") }
    static let regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"]
    static let organization = Organization(id: "o-bench", arn: "arn:aws:organizations::100000000000:organization/o-bench",
                                           managementAccountId: accounts[0].id, memberAccountIds: Set(accounts.map(\.id)))

    static func make(images count: Int) -> Inventory {
        var images: [Image] = []
        images.reserveCapacity(count)
        for i in 0..<count { images.append(image(i)) }
        return Inventory(organization: organization, accounts: accounts, images: images)
    }

    /// The same images, one account×region at a time, each generated only when asked for.
    static func batches(images count: Int) -> some Sequence<RegionBatch> {
        let stride = accounts.count * regions.count
        return (0..<stride).lazy.map { k in
            let a = k / regions.count, r = k % regions.count
            let first = r * accounts.count + a  // the smallest i with i % 10 == a and (i / 10) % 4 == r
            return RegionBatch(accountId: accounts[a].id, region: regions[r],
                               images: Swift.stride(from: first, to: count, by: stride).map(image))
        }
    }

    private static let base = Date(timeIntervalSince1970: 1_700_000_000)

    static func image(_ i: Int) -> Image {
        var image = Image(accountId: accounts[i % accounts.count].id, region: regions[(i / 10) % regions.count],
                          imageId: String(format: "ami-%017x", i), name: "app-\(i % 500)-build-\(i)",
                          ownerId: accounts[i % accounts.count].id,
                          creationDate: base.addingTimeInterval(Double(i % 900) * 86_400),
                          state: "available", isPublic: false,
                          virtualizationType: i % 97 == 0 ? "paravirtual" : "hvm",
                          tags: [Tag("Owner", i % 13 == 0 ? "nobody" : "team-\(i % 7)@example.com"),
                                 Tag("Environment", ["prod", "staging", "dev", "test"][i % 4])],
                          blockDevices: [BlockDevice(deviceName: "/dev/xvda", snapshotId: String(format: "snap-%017x", i),
                                                     volumeSize: 8, volumeType: "gp3", encrypted: i % 5 != 0)],
                          launchPermissions: i % 11 == 0 ? [.account("999999999999")] : [])
        image.isPublic = i % 101 == 0
        return image
    }
}
