@testable import AmigoCatalog
import AmigoCore
import Foundation
import GRDB
import Testing

/// The hot inserts bind straight to SQLite (`RowInsert`): what they store must be what GRDB's
/// own binding stores, and what an image holds must read back unchanged.
@Suite struct RowInsertTests {
    @Test func textThatIsEmptyOrNotASCIIReadsBackAsWritten() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        var image = Sample.fullImage()
        image.name = ""
        image.description = "before after — ünïcødé 🚀"
        image.tags = [Tag("", ""), Tag("k", String(repeating: "v", count: 256))]
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region, images: [image]), scan: scan)
        #expect(try catalog.inventory(scan: scan).images == [image])
        let stored = try catalog.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT typeof(name), length(CAST(description AS BLOB)) FROM image")
        }
        #expect(stored?[0] == "text")
        #expect(stored?[1] == image.description!.utf8.count)
    }

    /// What the decoders put where AWS sent a NUL (U+FFFD) must read back as it was written.
    @Test func aReplacementCharacterWhereANULWasReadsBack() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        let accounts = [Account(id: Sample.account, name: "prod\u{FFFD}-evil", email: "a\u{FFFD}@b")]
        try catalog.record(organization: nil, accounts: accounts, scan: scan)
        var image = Sample.fullImage()
        image.tags = [Tag("Owner\u{FFFD}", "x\u{FFFD}y")]
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region, images: [image]), scan: scan)
        let read = try catalog.inventory(scan: scan)
        #expect(read.accounts == accounts)
        #expect(read.images == [image])
    }

    @Test func valuesAreStoredWithTheTypesGRDBGivesThem() throws {
        let catalog = try Catalog.inMemory()
        let scan = try catalog.startTestScan()
        try catalog.record(RegionBatch(accountId: Sample.account, region: Sample.region,
                                       images: [Sample.fullImage(), Sample.bareImage()]), scan: scan)
        let columns = ["account_id", "creation_date", "is_public", "ena_support", "instance_count", "name"]
        let types = try catalog.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT \(columns.map { "typeof(\($0))" }.joined(separator: ", ")) FROM image ORDER BY rowid")
                .map { row in columns.indices.map { row[$0] as String } }
        }
        #expect(types == [["text", "real", "integer", "integer", "integer", "text"],
                          ["text", "null", "integer", "null", "null", "null"]])
        let flags = try catalog.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT is_public, ena_support FROM image ORDER BY rowid").map { [$0[0] as Int?, $0[1] as Int?] }
        }
        #expect(flags == [[1, 1], [0, nil]])
    }

    @Test func aRowWithTheWrongNumberOfValuesIsRefused() throws {
        let catalog = try Catalog.inMemory()
        _ = try catalog.startTestScan()
        let error = #expect(throws: DatabaseError.self) {
            try catalog.writer.write { db in
                try RowInsert(db, into: "image_tag", columns: ["image_row", "position", "key", "value"])
                    .run { v in v.add(1); v.add(0); v.add("only a key") }
            }
        }
        #expect(error?.message?.contains("bound 3 values for 4 columns") == true)
    }

    @Test func aFailedInsertNamesSQLitesReasonAndTheStatement() throws {
        let catalog = try Catalog.inMemory()
        let error = #expect(throws: DatabaseError.self) {
            try catalog.writer.write { db in
                // No image row 99: the foreign key is refused.
                try RowInsert(db, into: "image_tag", columns: ["image_row", "position", "key", "value"])
                    .run { v in v.add(99); v.add(0); v.add("k"); v.add("v") }
            }
        }
        #expect(error?.resultCode == .SQLITE_CONSTRAINT)
        #expect(error?.sql?.contains("INSERT INTO image_tag") == true)
    }
}
