// YAML policy files, as `amigo policies validate` and every scan read them: bytes, strict
// UTF-8 decoding, nesting bound, YAML, duplicate keys, then every policy and waiver.
@testable import AmigoCore
import FuzzHarness

fuzz { data in
    guard case .success(let text) = YAMLInput.decode(data, file: "fuzz.yml") else { return }
    _ = try? PolicyLoader.load(yaml: text, file: "fuzz.yml")
}
