import AmigoCore
@testable import AmigoReports
import Foundation
import Testing

/// `SubjectIndex` lists a policy's subjects from images sorted once per report. The oracle
/// here is the definition it replaced: every subject in a dictionary by resource key, the keys
/// sorted. Random reports cover what makes the two differ if the index is wrong: images listed
/// twice (the name shown is the last evaluated listing's), findings and waived findings on
/// images the policy did not evaluate or that are not in the scan at all, findings on other
/// resource types, account×region subjects that sort between images, and indices out of range.
struct SubjectIndexTests {
    /// The subjects as the dictionary-and-sort definition lists them.
    static func oracle(_ row: ReportDigest.PolicyRow, images: [ImageRef]) -> [ReportDigest.Subject] {
        var subjects: [ReportDigest.ResourceKey: ReportDigest.Subject] = [:]
        for index in row.result.evaluated where images.indices.contains(index) {
            let image = images[index]
            let key = ReportDigest.ResourceKey(accountId: image.accountId, region: image.region,
                                               resourceType: "image", resourceId: image.imageId)
            subjects[key] = ReportDigest.Subject(key: key, name: image.name, findings: [], waived: [])
        }
        for region in row.result.evaluatedRegions {
            let key = ReportDigest.ResourceKey(accountId: region.accountId, region: region.region,
                                               resourceType: Finding.regionResourceType, resourceId: region.resourceId)
            subjects[key] = ReportDigest.Subject(key: key, name: nil, findings: [], waived: [])
        }
        for finding in row.findings {
            let key = ReportDigest.key(finding)
            subjects[key, default: ReportDigest.Subject(key: key, name: finding.resourceName, findings: [], waived: [])]
                .findings.append(finding)
        }
        for item in row.waived {
            let key = ReportDigest.key(item.finding)
            subjects[key, default: ReportDigest.Subject(key: key, name: item.finding.resourceName, findings: [], waived: [])]
                .waived.append(item)
        }
        return subjects.keys.sorted { ($0.accountId, $0.region, $0.resourceType, $0.resourceId)
            < ($1.accountId, $1.region, $1.resourceType, $1.resourceId) }.map { subjects[$0]! }
    }

    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D4_9BB1_3311_14EB
            return z ^ (z >> 31)
        }
    }

    static let policy = PolicyInfo(id: "p", check: "tags", severity: .low)

    static func finding(_ g: inout Seeded, on image: ImageRef?, type: String = Finding.imageResourceType) -> Finding {
        let accounts = ["111111111111", "222222222222", "Ω33333333333"]
        let regions = ["eu-west-1", "us-east-1", "us-west-2"]
        let account = image?.accountId ?? accounts.randomElement(using: &g)!
        let region = image?.region ?? regions.randomElement(using: &g)!
        let id = type == Finding.regionResourceType ? "\(account)/\(region)"
            : image?.imageId ?? "ami-x\(Int.random(in: 0..<40, using: &g))"
        return Finding(policyId: "p", check: "tags", severity: .low, accountId: account, region: region,
                       resourceType: type, resourceId: id, resourceName: Bool.random(using: &g) ? "from-finding" : nil,
                       message: "m\(Int.random(in: 0..<1000, using: &g))")
    }

    static func randomCase(seed: UInt64) -> (ReportDigest.PolicyRow, [ImageRef]) {
        var g = Seeded(state: seed)
        let accounts = ["111111111111", "222222222222", "Ω33333333333"]
        let regions = ["eu-west-1", "us-east-1", "us-west-2"]
        var images = (0..<Int.random(in: 0..<60, using: &g)).map { n in
            ImageRef(accountId: accounts.randomElement(using: &g)!, region: regions.randomElement(using: &g)!,
                     imageId: "ami-x\(Int.random(in: 0..<40, using: &g))", name: Bool.random(using: &g) ? "n\(n)" : nil)
        }
        // An image listed again under another name.
        if let some = images.randomElement(using: &g), Bool.random(using: &g) {
            images.append(ImageRef(accountId: some.accountId, region: some.region, imageId: some.imageId, name: "again"))
        }
        var evaluated = images.indices.filter { _ in Int.random(in: 0..<10, using: &g) < 8 }.shuffled(using: &g)
        evaluated += [images.count, images.count + 3]   // out of range: ignored
        let regionRefs = (0..<Int.random(in: 0..<4, using: &g)).map { _ in
            RegionRef(accountId: accounts.randomElement(using: &g)!, region: regions.randomElement(using: &g)!)
        }
        var findings: [Finding] = []
        for _ in 0..<Int.random(in: 0..<40, using: &g) {
            switch Int.random(in: 0..<5, using: &g) {
            case 0: findings.append(finding(&g, on: nil))
            case 1: findings.append(finding(&g, on: nil, type: Finding.regionResourceType))
            case 2: findings.append(finding(&g, on: nil, type: "snapshot"))
            default: findings.append(finding(&g, on: images.randomElement(using: &g)))
            }
        }
        findings.sort(by: Finding.reportOrder)
        let waived = (0..<Int.random(in: 0..<6, using: &g)).map { _ in
            WaivedFinding(finding: finding(&g, on: Bool.random(using: &g) ? images.randomElement(using: &g) : nil),
                          reason: "accepted", expires: nil)
        }
        let result = PolicyResult(policy: policy, evaluated: evaluated, findings: findings, evaluatedRegions: regionRefs)
        return (ReportDigest.PolicyRow(info: policy, result: result, findings: findings, waived: waived,
                                       evaluated: 0, failed: 0), images)
    }

    static func describe(_ subjects: [ReportDigest.Subject]) -> [String] {
        subjects.map { s in
            "\(s.key.accountId)/\(s.key.region)/\(s.key.resourceType)/\(s.key.resourceId) name=\(s.name ?? "-") "
                + "findings=\(s.findings.map(\.message)) waived=\(s.waived.map(\.finding.message))"
        }
    }

    @Test(arguments: 0..<300)
    func subjectsAreTheSortedDictionarys(seed: Int) {
        let (row, images) = Self.randomCase(seed: UInt64(seed))
        let index = SubjectIndex(images: images)
        #expect(Self.describe(row.subjects(index)) == Self.describe(Self.oracle(row, images: images)))
    }

    @Test func anImageListedTwiceIsOneSubjectNamedByItsLastEvaluatedListing() {
        let images = [
            ImageRef(accountId: "111111111111", region: "us-east-1", imageId: "ami-b", name: "first"),
            ImageRef(accountId: "111111111111", region: "us-east-1", imageId: "ami-a", name: "a"),
            ImageRef(accountId: "111111111111", region: "us-east-1", imageId: "ami-b", name: "second"),
        ]
        let result = PolicyResult(policy: Self.policy, evaluated: [2, 1, 0], findings: [])
        let row = ReportDigest.PolicyRow(info: Self.policy, result: result, findings: [], waived: [], evaluated: 0, failed: 0)
        let subjects = row.subjects(SubjectIndex(images: images))
        #expect(subjects.map(\.key.resourceId) == ["ami-a", "ami-b"])
        #expect(subjects.map(\.name) == ["a", "first"])
    }
}
