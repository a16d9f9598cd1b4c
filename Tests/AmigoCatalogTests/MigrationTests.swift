@testable import AmigoCatalog
import AmigoCore
import Foundation
import GRDB
import Testing

/// A catalogue written by an older amigo opens in this one with its history intact.
@Suite struct MigrationTests {
    @Test func schemaVersionIsTheNumberOfMigrations() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue)
        let applied = try queue.read { try Schema.migrator.appliedIdentifiers($0) }
        #expect(Schema.version == applied.count)
    }

    /// Builds a v2 catalogue with the v1 and v2 SQL as released (scan 1 evaluated with two
    /// findings and a waived one, scan 2 only collected), then opens it with this build.
    @Test func aV2CatalogueKeepsItsFindingsAsEvaluationOne() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("v2.sqlite").path
        do {
            let old = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(old, upTo: "v2-region-indexes")
            try old.write { db in
                for id in [1, 2] {
                    try db.execute(sql: """
                        INSERT INTO scan (id, started_at, finished_at, as_of, status, source, policy_text, options, schema_version)
                        VALUES (?, 1700000000, 1700000060, 1700000500, 'complete', 'live', '[{"file":"p.yml","text":"policies: []"}]', '', 1)
                        """, arguments: [id])
                }
                for resource in ["ami-1", "ami-2"] {
                    try db.execute(sql: """
                        INSERT INTO finding (scan_id, policy_id, check_id, severity, account_id, account_name, region,
                            resource_type, resource_id, resource_name, message, evidence)
                        VALUES (1, 'ami-not-public', 'public-sharing', 'critical', '111122223333', 'prod', 'eu-west-1',
                            'image', ?, NULL, 'image is public', '{"isPublic":"true"}')
                        """, arguments: [resource])
                }
                try db.execute(sql: """
                    INSERT INTO waived_finding (scan_id, policy_id, check_id, severity, account_id, account_name, region,
                        resource_type, resource_id, resource_name, message, evidence, reason, expires)
                    VALUES (1, 'ami-max-age', 'age', 'low', '111122223333', NULL, 'eu-west-1', 'image', 'ami-3', NULL,
                        'old', '{}', 'golden image', 1900000000)
                    """)
            }
            try old.close()
        }

        let catalog = try Catalog(path: path)
        let evaluations = try catalog.evaluations(scan: 1)
        #expect(evaluations.map(\.id) == [1])
        #expect(evaluations.first.map { [$0.findings, $0.waived] } == [2, 1])
        #expect(evaluations.first?.asOf == at(1_700_000_500))
        #expect(try catalog.findings(evaluation: 1).map(\.resourceId) == ["ami-1", "ami-2"])
        #expect(try catalog.waivedFindings(evaluation: 1).map(\.reason) == ["golden image"])
        #expect(try catalog.policyText(evaluation: 1) == #"[{"file":"p.yml","text":"policies: []"}]"#)
        #expect(try catalog.evaluations(scan: 2).isEmpty)
        #expect(try catalog.scanInfo(1)?.status == .complete)

        // New evaluations go beside the migrated one.
        let next = try catalog.save(RoundTripTests.record(1), findings: [Finding](), waived: [])
        #expect(next.id == 2)
        #expect(try catalog.evaluations(scan: 1).map(\.findings) == [2, 0])
    }
}
