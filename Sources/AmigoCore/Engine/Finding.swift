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
    /// Which of a policy's violations on one resource this is (a device name, a grantee, a tag
    /// key), from the check's `Violation`; nil when the check finds at most one per resource.
    public var discriminator: String?

    public init(policyId: String, check: String, severity: Severity, accountId: String,
                accountName: String? = nil, region: String, resourceType: String = "image",
                resourceId: String, resourceName: String? = nil, message: String,
                evidence: Evidence = [:], discriminator: String? = nil) {
        self.policyId = policyId; self.check = check; self.severity = severity
        self.accountId = accountId; self.accountName = accountName; self.region = region
        self.resourceType = resourceType; self.resourceId = resourceId
        self.resourceName = resourceName; self.message = message; self.evidence = evidence
        self.discriminator = discriminator
    }

    /// "The same problem on the same resource", the one identity of a finding: unique within an
    /// evaluation, stable across scans and evaluations. It leaves out the message and evidence,
    /// which change while the problem stays (an image's age grows every day). `diff`, baselines,
    /// the reports' `id`/fingerprints and the catalogue all compare this.
    /// Without a discriminator it is what amigo 0.1 fingerprinted, so those fingerprints hold.
    public var identity: String {
        let subject = [policyId, accountId, region, resourceType, resourceId]
        return (discriminator.map { subject + [$0] } ?? subject).joined(separator: "\u{1F}")
    }

    /// For callers that built the evidence as a dictionary.
    public init(policyId: String, check: String, severity: Severity, accountId: String,
                accountName: String? = nil, region: String, resourceType: String = "image",
                resourceId: String, resourceName: String? = nil, message: String,
                evidence: [String: String], discriminator: String? = nil) {
        self.init(policyId: policyId, check: check, severity: severity, accountId: accountId,
                  accountName: accountName, region: region, resourceType: resourceType, resourceId: resourceId,
                  resourceName: resourceName, message: message, evidence: Evidence(evidence),
                  discriminator: discriminator)
    }
}

/// What a check says about one image: nothing (pass) or one or more violations.
/// A check that can find several violations on one image gives each its own `discriminator`
/// (see `Finding.discriminator`).
public struct Violation: Sendable, Hashable {
    public var message: String
    public var evidence: Evidence
    public var discriminator: String?
    public init(_ message: String, evidence: Evidence = [:], discriminator: String? = nil) {
        self.message = message; self.evidence = evidence; self.discriminator = discriminator
    }
    /// For checks that build the evidence as a dictionary.
    public init(_ message: String, evidence: [String: String], discriminator: String? = nil) {
        self.init(message, evidence: Evidence(evidence), discriminator: discriminator)
    }
}
