import Foundation

/// One check, described once: `amigo policies list`, the README's check table, the IAM policy
/// and the example test all read this value, so none of them keeps a list of its own.
public struct CheckDescriptor: Sendable {
    /// kebab-case, unique: what a policy's `check:` names.
    public var id: String
    /// What a compliant subject is, in one sentence.
    public var title: String
    /// Why it matters: the risk a finding stands for.
    public var rationale: String
    public var remediation: Remediation
    public var parameters: [ParameterDoc]
    /// The data the check reads; the collectors make only the calls some enabled check needs,
    /// and `amigo permissions` derives the IAM actions from it (`CollectionPlan`).
    public var needs: Set<DataNeed>
    public var examples: [CheckExample]

    public init(id: String, title: String, rationale: String, remediation: Remediation,
                parameters: [ParameterDoc], needs: Set<DataNeed>, examples: [CheckExample]) {
        self.id = id; self.title = title; self.rationale = rationale; self.remediation = remediation
        self.parameters = parameters; self.needs = needs; self.examples = examples
    }
}

/// How to fix a finding. amigo is read-only: the commands are for the reviewer to run, with
/// the `<placeholders>` filled in from the finding.
public struct Remediation: Sendable, Hashable {
    public var summary: String
    public var commands: [String]
    public var documentation: String

    public init(_ summary: String, commands: [String], documentation: String) {
        self.summary = summary; self.commands = commands; self.documentation = documentation
    }
}

/// An example a check carries, run by one parameterized test: `params` is the YAML of the
/// policy's `params:` mapping (or empty); the subject must pass, or fail with the evidence named.
public struct CheckExample: Sendable {
    public enum Expectation: Sendable {
        case pass
        /// Some violation's evidence holds every pair of `evidence`, and its message contains
        /// `message` when given: a fail example says what decided it, not just "some violation".
        case fail(evidence: [String: String], message: String? = nil)

        public var passes: Bool {
            if case .pass = self { true } else { false }
        }

        /// The evidence a fail example names (empty for a pass).
        public var evidence: [String: String] {
            if case .fail(let evidence, _) = self { evidence } else { [:] }
        }
    }

    public var name: String
    public var params: String
    public var subject: any CheckSubject
    public var context: EvaluationContext
    public var expect: Expectation

    public init(_ name: String, params: String = "", image: Image,
                context: EvaluationContext = .example, expect: Expectation) {
        self.name = name; self.params = params; self.subject = image
        self.context = context; self.expect = expect
    }

    /// A region example about the examples' account×region: `settings` nil means the region's
    /// settings were not collected at all.
    public init(_ name: String, params: String = "", settings: RegionSettings?, expect: Expectation) {
        self.name = name; self.params = params
        self.subject = AccountRegion(accountId: AccountRegion.exampleAccount, region: AccountRegion.exampleRegion,
                                     settings: settings)
        self.context = .example; self.expect = expect
    }
}
