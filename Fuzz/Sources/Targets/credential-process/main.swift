// What a `credential_process` command prints (Version 1 JSON).
@testable import AmigoAWS
import FuzzHarness

fuzz { data in
    _ = try? ProcessCredentials.credentials(fromOutput: data, source: "credential_process of profile fuzz")
}
