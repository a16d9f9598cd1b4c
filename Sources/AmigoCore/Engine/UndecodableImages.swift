import Foundation

/// Images AWS described but amigo could not decode (a required field was malformed). Nothing
/// about such an image can be trusted, not even its name, so every image policy whose account
/// and region scope covers it reports it as "cannot be verified": it is never passed, and the
/// rest of its region is judged as usual.
extension Engine {
    /// The images behind `errors` (those that name one), and their findings as one chunk.
    static func judgeUndecodable(_ errors: [ScanError], policies compiled: [CompiledPolicy],
                                 accountNames: [String: String], waivers: WaiverIndex, asOf: Date)
        -> (images: [ImageRef], evaluated: [[Int]], chunk: ChunkResult)? {
        let undecodable = errors.compactMap { error in
            error.imageId.flatMap { id in error.region.map { (error, ImageRef(accountId: error.accountId, region: $0, imageId: id)) } }
        }
        guard !undecodable.isEmpty else { return nil }
        var result = ChunkResult(policyCount: compiled.count)
        var evaluated = Array(repeating: [Int](), count: compiled.count)
        for (index, (error, image)) in undecodable.enumerated() {
            for p in compiled.indices
            where compiled[p].scope.contains(account: image.accountId, region: image.region) {
                evaluated[p].append(index)
                var finding = Finding(policyId: compiled[p].id, check: compiled[p].checkId,
                                      severity: compiled[p].severity, accountId: image.accountId,
                                      accountName: accountNames[image.accountId], region: image.region,
                                      resourceId: image.imageId,
                                      message: "Image could not be decoded, so this policy cannot be verified: \(error.message).",
                                      evidence: ["undecodable": error.message])
                if let waiver = waivers.waiver(covering: &finding, asOf: asOf) {
                    result.waived.append(WaivedFinding(finding: finding, reason: waiver.reason, expires: waiver.expires))
                } else {
                    result.findings[p].append(finding)
                }
            }
        }
        return (undecodable.map(\.1), evaluated, result)
    }
}
