import AmigoAWS
import AmigoTestSupport
import Foundation
import Testing

struct RecordingTransportTests {
    @Test func recordedExchangesReplayIdentically() async throws {
        let server = try LoopbackHTTPServer.start(routes: [
            "POST /json": .init(headers: ["Content-Type": "application/x-amz-json-1.1"], body: #"{"Accounts":[{"Id":"111122223333"}]}"#),
        ])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-rec-\(UUID().uuidString)")
        let recorder = try RecordingTransport(wrapping: CurlTransport(), directory: dir)
        let creds = StaticCredentialProvider(Credentials(accessKeyId: "AKIDREC", secretAccessKey: "s"))
        func client(_ t: any Transport, path: String) -> AWSClient {
            // Not a deadline test: a loaded test host can keep a task from running for minutes.
            AWSClient(transport: t, endpoints: Endpoints(override: URL(string: server.url.absoluteString + path)!),
                      retry: RetryPolicy(deadline: 600))
        }
        let live = client(recorder, path: "/xml-echo")
        let a = try await live.query(AWSAction(.ec2, "DescribeImages")!, region: "eu-west-1",
                                     parameters: [("Owner.1", "self"), ("Filter.1.Value.1", "a&b <c>")], credentials: creds)
        let b = try await live.query(AWSAction(.ec2, "DescribeImages")!, region: "eu-west-1",
                                     parameters: [("Owner.1", "111122223333")], credentials: creds)
        let j = try await client(recorder, path: "/json").json(AWSAction(.organizations, "ListAccounts")!, region: "us-east-1", body: ["MaxResults": 20], credentials: creds)
        try recorder.flush()

        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path).sorted()
        #expect(files.contains("ec2/eu-west-1/AKIDREC/DescribeImages-1.xml"))
        #expect(files.contains("ec2/eu-west-1/AKIDREC/DescribeImages-2.xml"))
        #expect(files.contains("organizations/us-east-1/AKIDREC/ListAccounts-1.json"))

        let replay = try ReplayTransport(directory: dir)
        let a2 = try await client(replay, path: "/xml-echo").query(AWSAction(.ec2, "DescribeImages")!, region: "eu-west-1",
            parameters: [("Owner.1", "self"), ("Filter.1.Value.1", "a&b <c>")], credentials: creds)
        let b2 = try await client(replay, path: "/elsewhere").query(AWSAction(.ec2, "DescribeImages")!, region: "eu-west-1",
            parameters: [("Owner.1", "111122223333")], credentials: creds)
        let j2 = try await client(replay, path: "/").json(AWSAction(.organizations, "ListAccounts")!, region: "us-east-1", body: ["MaxResults": 20], credentials: creds)
        #expect(a.string("Body") == a2.string("Body"))
        #expect(a.string("Body")?.contains("Filter.1.Value.1=a%26b%20%3Cc%3E") == true)
        #expect(b.string("Body") == b2.string("Body") && a2.string("Body") != b2.string("Body"))
        #expect((j["Accounts"] as? [[String: Any]])?.first?["Id"] as? String == "111122223333")
        #expect((j2["Accounts"] as? [[String: Any]])?.first?["Id"] as? String == "111122223333")
    }
}
