import AmigoAWS
import AmigoCollect
import AmigoCore
import Foundation

/// Reads the demo organisation back through the real client (signing, FixtureKey, replay),
/// so a fixture whose key amigo would not compute is found here, not in a demo run.
struct DemoOrg {
    static let managementKey = "AKIAAMIGODEMO0000000"
    let client: AWSClient
    let index: FixtureIndex

    init() throws {
        client = AWSClient(transport: try ReplayTransport(directory: Wire.demoOrg))
        index = try JSONDecoder().decode(FixtureIndex.self,
                                         from: Data(contentsOf: Wire.demoOrg.appendingPathComponent("index.json")))
    }

    static func credentials(_ accessKeyId: String) -> StaticCredentialProvider {
        StaticCredentialProvider(Credentials(accessKeyId: accessKeyId, secretAccessKey: "replay"))
    }

    static func account(ofKey accessKeyId: String) -> String {
        accessKeyId == managementKey ? "111111111111" : String(accessKeyId.dropFirst("ASIADEMO".count))
    }

    func ec2(_ region: String, _ key: String, _ action: String, _ parameters: [(String, String)] = []) async throws -> XMLNode {
        try await client.query(AWSAction(.ec2, action)!, region: region, parameters: parameters, credentials: Self.credentials(key))
    }

    func organizations(_ action: String, _ body: [String: any Sendable] = [:]) async throws -> [String: Any] {
        try await client.json(AWSAction(.organizations, action)!, region: "us-east-1",
                              body: body, credentials: Self.credentials(Self.managementKey))
    }

    /// Every page of `DescribeImages` for one account×region, as the collector asks for them.
    func images(account: String, region: String, key: String) async throws -> (images: [Image], pages: Int) {
        var images: [Image] = []
        var token: String?
        var pages = 0
        repeat {
            var parameters = [("Owner.1", "self"), ("IncludeDeprecated", "true"), ("IncludeDisabled", "true"),
                              ("MaxResults", pages < CollectionPlan.openingImagePages.count
                                  ? String(CollectionPlan.openingImagePages[pages]) : "1000")]
            if let token { parameters.append(("NextToken", token)) }
            let page = try EC2Decode.images(try await ec2(region, key, "DescribeImages", parameters),
                                            account: account, region: region)
            images += page.images
            token = page.nextToken
            pages += 1
        } while token != nil
        return (images, pages)
    }

    struct Expected: Decodable {
        struct Entry: Decodable { var account, region, imageId, name: String; var violations: [String] }
        var asOf: String
        var images: [Entry]
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Wire.demoOrg.appendingPathComponent("expected.json")))
    }
}

/// The baseline policies restated in Swift over decoded wire data: an independent second
/// opinion on expected.json, which the generator computes in Python from its own records.
enum BaselineMirror {
    static let asOf = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01T00:00:00Z
    static let members: Set<String> = ["111111111111", "222222222222", "333333333333", "444444444444"]
    static let orgArn = "arn:aws:organizations::111111111111:organization/o-amigodemo01"
    static let ouPrefix = "arn:aws:organizations::111111111111:ou/o-amigodemo01/"

    static func violations(_ image: Image) -> [String] {
        var v: Set<String> = []
        if image.blockDevices.contains(where: { $0.isEBS && $0.encrypted != true }) { v.insert("ami-ebs-encrypted") }
        let permissions = image.launchPermissions ?? []
        if image.isPublic || permissions.contains(.everyone) { v.insert("ami-not-public") }
        for p in permissions {
            switch p {
            case .account(let id) where members.contains(id): continue
            case .organization(let arn) where arn == orgArn: continue
            case .organizationalUnit(let arn) where arn.hasPrefix(ouPrefix): continue
            default: v.insert("ami-shared-only-inside-org")
            }
        }
        let old = image.creationDate.map { $0 < asOf.addingTimeInterval(-365 * 86_400) } ?? true
        if old || (image.deprecationTime.map { $0 < asOf } ?? false) { v.insert("ami-max-age") }
        let owner = image.tag("Owner") ?? ""
        let ownerOK = owner.wholeMatch(of: /[a-z][a-z0-9.\-]*@example\.com/) != nil
        if !ownerOK || !["prod", "staging", "dev"].contains(image.tag("Environment") ?? "") {
            v.insert("ami-required-tags")
        }
        if image.virtualizationType != "hvm" { v.insert("ami-hvm-only") }
        return v.sorted()
    }
}
