import AmigoAWS
import AmigoCollect
import Foundation
import Logging

/// A ready AWS client and base credentials, live or replayed.
struct AWSSession: Sendable {
    var client: AWSClient
    var credentials: any CredentialProvider
    var homeRegion: String
    /// For replayed fixtures: when they were recorded (the demo's default `--as-of`).
    var recordedAt: Date?
    /// With `--record`: flushed when collection ends.
    var recorder: RecordingTransport?

    /// The access key the demo organisation's fixtures were generated for.
    static let demoCredentials = Credentials(accessKeyId: "AKIAAMIGODEMO0000000",
                                             secretAccessKey: "amigo-demo-not-a-secret")

    /// Eight attempts ride out a 20% fault rate (0.2^8 per call) while short waits keep a
    /// permanently failing call (an API the endpoint does not offer) from stalling the scan;
    /// throttling is mostly avoided up front by the collectors' pacing.
    static func retry(_ timeouts: Timeouts) -> RetryPolicy {
        RetryPolicy(maxAttempts: 8, baseDelay: 0.1, maxDelay: 5, deadline: timeouts.call)
    }

    static func make(_ source: SourceSettings, stats: RequestStats, logger: Logger) async throws -> AWSSession {
        let environment = ProcessInfo.processInfo.environment
        if let fixtures = source.fixtures {
            let replay: ReplayTransport
            do { replay = try ReplayTransport(directory: fixtures) } catch {
                throw UsageError("cannot read recorded responses in \(fixtures.path): \(error)")
            }
            let client = AWSClient(transport: replay,
                                   endpoints: Endpoints(override: URL(string: "https://replay.amigo.invalid")!),
                                   retry: RetryPolicy(maxAttempts: 1), stats: stats, logger: logger)
            var base = demoCredentials
            if let recorded = replay.baseAccessKeyId { base.accessKeyId = recorded }
            return AWSSession(client: client, credentials: StaticCredentialProvider(base),
                              homeRegion: "us-east-1", recordedAt: replay.recordedAt.flatMap(AsOf.parse))
        }

        let config = SharedConfig.load(environment: environment)
        let profile = config.profiles[SharedConfig.profileName(source.profile, environment: environment)]
        let set = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let homeRegion = source.homeRegion ?? set("AWS_REGION") ?? set("AWS_DEFAULT_REGION")
            ?? profile?["region"] ?? "us-east-1"
        let caBundle = source.caBundle ?? set("AWS_CA_BUNDLE") ?? profile?["ca_bundle"]
        let endpoints: Endpoints
        do {
            endpoints = try EndpointConfiguration.resolve(environment: environment, profile: source.profile,
                                                          flag: source.endpointURL, config: config)
        } catch { throw UsageError("\(error)") }
        var recorder: RecordingTransport?
        var transport: any Transport = CurlTransport(options: .init(maxConcurrent: CollectionPlan.defaultRequestsInFlight,
                                                                    connectTimeout: source.timeouts.connect,
                                                                    timeout: source.timeouts.exchange, caBundle: caBundle))
        if let record = source.record {
            recorder = try RecordingTransport(wrapping: transport, directory: record)
            transport = recorder!
        }
        let client = AWSClient(transport: transport,
                               endpoints: endpoints,
                               retry: Self.retry(source.timeouts), stats: stats, logger: logger)
        let credentials: any CredentialProvider
        do {
            credentials = try await CredentialChain.resolve(profile: source.profile, environment: environment,
                                                             client: client, region: homeRegion)
        } catch {
            throw UsageError("no usable AWS credentials: \(error)")
        }
        return AWSSession(client: client, credentials: credentials, homeRegion: homeRegion, recordedAt: nil,
                          recorder: recorder)
    }
}
