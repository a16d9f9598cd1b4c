import AmigoAWS
import Foundation
import Testing

/// Requests signed by botocore's SigV4Auth (Vectors/make_vectors.py), re-signed here.
struct SigV4Vector: Decodable, Sendable, CustomTestStringConvertible {
    var name, service, region, method, url, body, accessKeyId, secretAccessKey: String
    var headers: [String: String]
    var params: [[String]]?
    var sessionToken: String?
    var date: Double
    var expectedAuthorization, expectedSignedHeaders, expectedAmzDate: String
    var testDescription: String { name }

    static let all: [SigV4Vector] = {
        guard let url = Bundle.module.url(forResource: "vectors", withExtension: "json", subdirectory: "Vectors"),
              let data = try? Data(contentsOf: url),
              let vectors = try? JSONDecoder().decode([SigV4Vector].self, from: data) else { return [] }
        return vectors
    }()
}

struct SigV4VectorTests {
    @Test func vectorsAreLoaded() { #expect(SigV4Vector.all.count >= 6) }

    @Test(arguments: SigV4Vector.all)
    func signsLikeBotocore(_ v: SigV4Vector) {
        var request = HTTPRequest(method: v.method, url: URL(string: v.url)!, headers: v.headers, body: Data(v.body.utf8))
        let credentials = Credentials(accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey,
                                      sessionToken: v.sessionToken)
        SigV4.sign(&request, credentials: credentials, region: v.region, service: v.service,
                   date: Date(timeIntervalSince1970: v.date))
        #expect(request.headers["Authorization"] == v.expectedAuthorization)
        #expect(request.headers["X-Amz-Date"] == v.expectedAmzDate)
        #expect(request.headers["X-Amz-Security-Token"] == v.sessionToken)
        // Signing twice (a retry) must not sign the previous signature.
        SigV4.sign(&request, credentials: credentials, region: v.region, service: v.service,
                   date: Date(timeIntervalSince1970: v.date))
        #expect(request.headers["Authorization"] == v.expectedAuthorization)
    }

    @Test(arguments: SigV4Vector.all.filter { $0.params != nil })
    func encodesQueryFormsLikeBotocore(_ v: SigV4Vector) {
        let pairs = (v.params ?? []).map { ($0[0], $0[1]) }
        #expect(QueryForm.encode(pairs) == v.body)
    }

    @Test func credentialScopeIsReadBackFromTheSignature() throws {
        let v = try #require(SigV4Vector.all.first { $0.service == "sts" })
        var request = HTTPRequest(url: URL(string: v.url)!, headers: v.headers, body: Data(v.body.utf8))
        SigV4.sign(&request, credentials: Credentials(accessKeyId: "AKIDSCOPE", secretAccessKey: "s"),
                   region: v.region, service: v.service, date: Date(timeIntervalSince1970: v.date))
        let scope = try #require(SigV4.credentialScope(of: request))
        #expect(scope.accessKeyId == "AKIDSCOPE" && scope.region == "eu-west-1" && scope.service == "sts")
    }
}
