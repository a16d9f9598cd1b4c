import Foundation

/// One policy violated by one resource. `evidence` holds the catalogue fields that made the
/// decision, so a reviewer can check it without re-running the scan.
public struct Finding: Sendable, Hashable, Codable {
    public var policyId: String
    public var check: String
    public var severity: Severity
    public var accountId: String
    public var accountName: String?
    public var region: String
    public var resourceType: String
    public var resourceId: String
    public var resourceName: String?
    public var message: String
    public var evidence: Evidence

    public init(policyId: String, check: String, severity: Severity, accountId: String,
                accountName: String? = nil, region: String, resourceType: String = "image",
                resourceId: String, resourceName: String? = nil, message: String,
                evidence: Evidence = [:]) {
        self.policyId = policyId; self.check = check; self.severity = severity
        self.accountId = accountId; self.accountName = accountName; self.region = region
        self.resourceType = resourceType; self.resourceId = resourceId
        self.resourceName = resourceName; self.message = message; self.evidence = evidence
    }

    /// For callers that built the evidence as a dictionary.
    public init(policyId: String, check: String, severity: Severity, accountId: String,
                accountName: String? = nil, region: String, resourceType: String = "image",
                resourceId: String, resourceName: String? = nil, message: String,
                evidence: [String: String]) {
        self.init(policyId: policyId, check: check, severity: severity, accountId: accountId,
                  accountName: accountName, region: region, resourceType: resourceType, resourceId: resourceId,
                  resourceName: resourceName, message: message, evidence: Evidence(evidence))
    }
}

/// What a check says about one image: nothing (pass) or one or more violations.
public struct Violation: Sendable, Hashable {
    public var message: String
    public var evidence: Evidence
    public init(_ message: String, evidence: Evidence = [:]) {
        self.message = message; self.evidence = evidence
    }
    /// For checks that build the evidence as a dictionary.
    public init(_ message: String, evidence: [String: String]) {
        self.init(message, evidence: Evidence(evidence))
    }
}
