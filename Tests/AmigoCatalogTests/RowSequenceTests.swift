@testable import AmigoCatalog
import GRDB
import AmigoCore
import Testing

/// Trend tallies read the catalogue through `RowSequence` so a large evaluation is never held
/// as arrays: a row that cannot be read must fail the read, never shorten it.
@Suite struct RowSequenceTests {
    struct Unreadable: Error {}

    @Test func aRowThatFailsToMapEndsTheSequenceAndCheckThrowsIt() throws {
        let catalog = try Catalog.inMemory()
        try catalog.writer.read { db in
            let numbers = try Catalog.rowSequence(db, sql: "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 5) SELECT v FROM n", arguments: []) { row -> Int in
                let n: Int = row[0]
                if n == 3 { throw Unreadable() }
                return n
            }
            #expect(Array(numbers) == [1, 2])
            #expect(throws: Unreadable.self) { try numbers.check() }
        }
    }

    @Test func aSequenceReadWholeChecksClean() throws {
        let catalog = try Catalog.inMemory()
        try catalog.writer.read { db in
            let numbers = try Catalog.rowSequence(db, sql: "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 4) SELECT v FROM n",
                                                  arguments: []) { row -> Int in row[0] }
            #expect(Array(numbers) == [1, 2, 3, 4])
            try numbers.check()
        }
    }
}

@Suite struct FindingsByPolicyTests {
    @Test func eachPolicyKeepsItsFindingsInSavedOrderWhateverTheInterleaving() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        let findings = (0..<30).map { n in
            Finding(policyId: ["p-a", "p-b", "p-c"][n % 3], check: "age", severity: .low, accountId: Sample.account,
                    region: Sample.region, resourceId: "ami-\(n)", message: "m \(n % 2)")
        }
        let record = EvaluationRecord(scan: scan, policyDigest: "d", policyText: "policies: []", asOf: at(0),
                                      amigoVersion: "test", evaluatedAt: at(0))
        let evaluation = try catalog.save(record, findings: findings, waived: [])
        let byPolicy = try catalog.findingsByPolicy(evaluation: evaluation.id)
        #expect(byPolicy == Dictionary(grouping: findings, by: \.policyId))
        #expect(byPolicy["p-b"]?.map(\.resourceId) == (0..<30).filter { $0 % 3 == 1 }.map { "ami-\($0)" })
        #expect(try catalog.findingsByPolicy(evaluation: evaluation.id + 1).isEmpty)
    }
}
