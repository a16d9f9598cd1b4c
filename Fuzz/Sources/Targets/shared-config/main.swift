// `~/.aws/config` and `~/.aws/credentials` (the input split at its first NUL byte), loaded as
// the credential chain loads them, then every profile resolved to a provider: this walks
// `source_profile` chains (cycles must be refused) without any network call.
@testable import AmigoAWS
import Foundation
import FuzzHarness

let directory = scratchDirectory("shared-config")
let configFile = directory.appendingPathComponent("config")
let credentialsFile = directory.appendingPathComponent("credentials")
let environment = ["HOME": directory.path, "AWS_CONFIG_FILE": configFile.path,
                   "AWS_SHARED_CREDENTIALS_FILE": credentialsFile.path]
let client = AWSClient(transport: UnreachableTransport())

struct UnreachableTransport: Transport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw TransportError(kind: .other, url: request.url.absoluteString, detail: "fuzzing sends nothing")
    }
}

fuzz { data in
    let (config, credentials) = halves(data)
    place(config, at: configFile)
    place(credentials, at: credentialsFile)
    let shared = SharedConfig.load(environment: environment)
    let resolver = ProfileResolver(config: shared, environment: environment, client: client,
                                   region: nil, metadata: UnreachableTransport())
    for name in shared.profiles.keys {
        _ = try? resolver.provider(forProfile: name, visited: [])
    }
}
