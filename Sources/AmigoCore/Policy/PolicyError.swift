/// A problem in a policy file, located as compilers do (`file:line:column: message`), so
/// editors and CI annotate the exact place.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var policyId: String?
    public var message: String

    public init(file: String, line: Int, column: Int, policyId: String? = nil, message: String) {
        self.file = file; self.line = line; self.column = column
        self.policyId = policyId; self.message = message
    }

    public var description: String {
        let subject = policyId.map { "policy '\($0)': " } ?? ""
        return "\(file):\(line):\(column): error: \(subject)\(message)"
    }
}
