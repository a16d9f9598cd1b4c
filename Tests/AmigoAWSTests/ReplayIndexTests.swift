import AmigoAWS
import Foundation
import Testing

/// A recording is data anyone can hand amigo (a pull request's `fixtures/`): its index must not
/// make replay read files outside the recording, such as `/dev/zero` (a read that never ends)
/// or the runner's `~/.aws/credentials`.
struct ReplayIndexTests {
    @Test(arguments: ["../outside.xml", "responses/../../outside.xml", "/etc/hostname", ""])
    func anIndexNamingAFileOutsideTheRecordingIsRefused(file: String) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-replay-\(UUID().uuidString)")
        let recording = root.appendingPathComponent("recording")
        try FileManager.default.createDirectory(at: recording, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("<DescribeRegionsResponse/>".utf8).write(to: root.appendingPathComponent("outside.xml"))
        let index = FixtureIndex(exchanges: [.init(key: "ec2 us-east-1 AKID Action=DescribeRegions", status: 200, file: file)])
        try JSONEncoder().encode(index).write(to: recording.appendingPathComponent("index.json"))

        #expect {
            _ = try ReplayTransport(directory: recording)
        } throws: { error in
            String(describing: error).contains("outside the recording")
        }
    }

    @Test func filesInsideTheRecordingStillReplay() async throws {
        let recording = FileManager.default.temporaryDirectory.appendingPathComponent("amigo-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: recording.appendingPathComponent("ec2"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: recording) }
        try Data("<DescribeRegionsResponse/>".utf8).write(to: recording.appendingPathComponent("ec2/DescribeRegions.xml"))
        var request = HTTPRequest(url: URL(string: "https://ec2.us-east-1.amazonaws.com/")!,
                                  body: Data("Action=DescribeRegions&Version=2016-11-15".utf8))
        SigV4.sign(&request, credentials: Credentials(accessKeyId: "AKID", secretAccessKey: "s"),
                   region: "us-east-1", service: "ec2", date: Date(timeIntervalSince1970: 0))
        let index = FixtureIndex(exchanges: [.init(key: FixtureKey.key(for: request), status: 200, file: "ec2/./DescribeRegions.xml")])
        try JSONEncoder().encode(index).write(to: recording.appendingPathComponent("index.json"))

        let response = try await ReplayTransport(directory: recording).send(request)
        #expect(String(decoding: response.body, as: UTF8.self) == "<DescribeRegionsResponse/>")
    }
}
