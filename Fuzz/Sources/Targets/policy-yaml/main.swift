// YAML policy files, as `amigo policies validate` and every scan read them.
import AmigoCore
import FuzzHarness

fuzz { data in
    _ = try? PolicyLoader.load(yaml: String(decoding: data, as: UTF8.self), file: "fuzz.yml")
}
