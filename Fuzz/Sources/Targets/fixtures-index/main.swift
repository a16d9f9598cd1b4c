// A recording's `index.json`, then one replayed request whose body is the rest of the input
// (after the first NUL byte): Query forms and JSON bodies are both turned into fixture keys.
import AmigoAWS
import Foundation
import FuzzHarness

let directory = scratchDirectory("fixtures-index")
let index = directory.appendingPathComponent("index.json")
let url = URL(string: "https://ec2.us-east-1.amazonaws.com/")!
let credentials = Credentials(accessKeyId: "AKIDFUZZ", secretAccessKey: "fuzz")

fuzz { data in
    let (json, body) = halves(data)
    place(json, at: index)
    guard let replay = try? ReplayTransport(directory: directory) else { return }
    for target in [nil, "AWSOrganizationsV20161128.ListAccounts"] {
        var request = HTTPRequest(url: url, headers: target.map { ["X-Amz-Target": $0] } ?? [:], body: body)
        SigV4.sign(&request, credentials: credentials, region: "us-east-1", service: "ec2", date: Date(timeIntervalSince1970: 0))
        _ = FixtureKey.key(for: request)
        let done = DispatchSemaphore(value: 0)
        // Detached: top-level code runs on the main actor, which is blocked waiting here.
        Task.detached { [request] in _ = try? await replay.send(request); done.signal() }
        done.wait()
    }
}
