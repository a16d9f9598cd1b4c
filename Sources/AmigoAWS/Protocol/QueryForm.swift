/// The Query protocol's form body, encoded as botocore's serializer does (RFC 3986 unreserved
/// characters kept, everything else percent-encoded as UTF-8, order preserved).
public enum QueryForm {
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(SigV4.uriEncode($0.0))=\(SigV4.uriEncode($0.1))" }.joined(separator: "&")
    }
}
