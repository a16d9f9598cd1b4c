// A finding's evidence as stored in the catalogue (a JSON object of strings), read back by
// `amigo evaluate`/`report`/`--baseline` from a catalogue file someone else may have written.
@testable import AmigoCatalog
import AmigoCore
import Foundation
import FuzzHarness

let catalog = try! Catalog.inMemory()
let scan = try! catalog.startScan(startedAt: Date(), asOf: Date(), source: "fuzz", policyText: "[]", options: "{}")
let evaluation = try! catalog.save(
    EvaluationRecord(scan: scan, policyDigest: "d", policyText: "[]", asOf: Date(), amigoVersion: "fuzz", evaluatedAt: Date()),
    findings: [Finding(policyId: "p", check: "age", severity: .high, accountId: "111122223333",
                       region: "us-east-1", resourceId: "ami-1", message: "m")],
    waived: []).id

fuzz { data in
    try! catalog.write("fuzz") { db in
        try db.execute(sql: "UPDATE evaluation_finding SET evidence = ?", arguments: [String(decoding: data, as: UTF8.self)])
    }
    _ = try? catalog.findings(evaluation: evaluation)
}
