import AmigoCore
import Testing

/// The one definition of "compliant" that headlines and trends share.
@Suite struct ComplianceTallyTests {
    static let images = [ImageRef(accountId: "1", region: "r1", imageId: "ami-a"), ImageRef(accountId: "1", region: "r1", imageId: "ami-b"),
                         ImageRef(accountId: "1", region: "r2", imageId: "ami-c")]
    static func finding(_ severity: Severity, _ region: String, _ id: String, type: String = "image") -> Finding {
        Finding(policyId: "p-\(severity)", check: "c", severity: severity, accountId: "1", region: region,
                resourceType: type, resourceId: id, message: "m")
    }

    @Test func unreadAccountRegionsAreNeverCompliantAndSkippedOnesAreNotCounted() {
        let coverage = [RegionCoverage(accountId: "1", region: "r1", status: .scanned), RegionCoverage(accountId: "1", region: "r2", status: .scanned),
                        RegionCoverage(accountId: "1", region: "r3", status: .partial), RegionCoverage(accountId: "1", region: "r4", status: .failed),
                        RegionCoverage(accountId: "1", region: "r5", status: .skipped)]
        let tally = ComplianceTally(images: Self.images, coverage: coverage, findings: [Self.finding(.low, "r1", "ami-a")])
        #expect(tally.images.evaluated == 3 && tally.images.compliant() == 2)
        #expect(tally.regions.evaluated == 4)
        #expect(tally.regions.compliant() == 1, "r2 only: r1 holds a finding, r3 and r4 were not read in full")
        #expect(tally.regions.compliant(atLeast: .critical) == 2, "a low finding does not fail r1 at critical; unread stays failing")
        #expect(tally.share() == 3.0 / 7.0)
    }

    @Test func perSeverityCountsTheWorstFindingOfEachSubject() {
        let coverage = [RegionCoverage(accountId: "1", region: "r1", status: .scanned), RegionCoverage(accountId: "1", region: "r2", status: .scanned)]
        let findings = [Self.finding(.low, "r1", "ami-a"), Self.finding(.critical, "r1", "ami-a"), Self.finding(.medium, "r2", "ami-c"),
                        Self.finding(.high, "r2", "1/r2", type: "region")]
        let tally = ComplianceTally(images: Self.images, coverage: coverage, findings: findings)
        #expect(tally.findings == [.info: 0, .low: 1, .medium: 1, .high: 1, .critical: 1])
        #expect(tally.images.compliant(atLeast: .critical) == 2)
        #expect(tally.images.compliant(atLeast: .medium) == 1)
        #expect(tally.images.compliant(atLeast: .info) == 1)
        #expect(tally.regions.compliant(atLeast: .critical) == 1, "r1 holds a critical image finding; r2 at worst a high one")
        #expect(tally.regions.compliant(atLeast: .info) == 0)
    }

    @Test func nothingEvaluatedHasNoShare() {
        let tally = ComplianceTally(images: [], coverage: [], findings: [])
        #expect(tally.share() == nil)
    }
}
