import Foundation
import Yams

extension PolicyDocument {
    static let waiverKeys = ["policy", "images", "accounts", "reason", "expires"]

    /// A waiver needs a reason and an expiry date: an exception nobody explains, or that never
    /// ends, is how findings quietly disappear.
    mutating func readWaiver(_ node: Node) {
        guard let m = node.mapping else {
            fail("each waiver must be a mapping with 'policy', 'reason' and 'expires'", at: node)
            return
        }
        let errorCount = errors.count
        for (key, _) in m {
            let name = key.scalar?.string ?? "?"
            if !Self.waiverKeys.contains(name) {
                fail("unknown key '\(name)' in waiver; expected one of: \(Self.waiverKeys.joined(separator: ", "))",
                     at: key)
            }
        }
        var policy: String?
        if let p = m["policy"] {
            policy = p.nonEmptyString
            if let policy { waiverReferences.append((policy, p.mark)) } else {
                fail("waiver 'policy' must be a policy id", at: p)
            }
        } else {
            fail("waiver is missing 'policy'", at: node)
        }
        var reason: String?
        if let r = m["reason"] {
            reason = r.nonEmptyString?.trimmingCharacters(in: .whitespacesAndNewlines)
            if reason?.isEmpty ?? true {
                reason = nil
                fail("waiver 'reason' must say why the finding is accepted", at: r, policy: policy)
            }
        } else {
            fail("waiver is missing 'reason'", at: node, policy: policy)
        }
        var expires: Date?
        if let e = m["expires"] {
            let text = e.scalar?.string ?? ""
            expires = CivilDate.parse(text)
            if expires == nil {
                fail("waiver 'expires' must be a date written YYYY-MM-DD, got '\(text)'", at: e, policy: policy)
            }
        } else {
            fail("waiver is missing 'expires' (YYYY-MM-DD)", at: node, policy: policy)
        }
        let images = strings(m["images"], key: "images", policy: policy)
        let accounts = strings(m["accounts"], key: "accounts", policy: policy)
        guard errors.count == errorCount, let policy, let reason else { return }
        waivers.append(Waiver(policyId: policy, images: images, accounts: accounts, reason: reason,
                              expires: expires))
    }
}
