// The policy text a scan stores in the catalogue (`[{"file", "text"}]` JSON), read back by
// `amigo evaluate --scan N` to re-evaluate with exactly those policies.
@testable import AmigoKit
import FuzzHarness

fuzz { data in
    _ = try? PolicyFiles.load(stored: String(decoding: data, as: UTF8.self))
}
