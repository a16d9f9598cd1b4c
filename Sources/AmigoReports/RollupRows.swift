import AmigoCore

/// The words and numbers every format shows for a framework rollup, so they agree.
extension FrameworkRollup {
    /// `2 pass · 1 fail · 2 manual · 0 not evaluated`
    var countsLine: String {
        ControlStatus.allCases.map { "\(count($0)) \($0.label)" }.joined(separator: " · ")
    }

    var heading: String { "\(framework.name) \(framework.version) (\(framework.id))" }

    /// Names the policies `--framework` enabled, or nil when it enabled none.
    var enabledLine: String? {
        enabledPolicies.isEmpty ? nil : "enabled by --framework \(framework.id): " + enabledPolicies.joined(separator: ", ")
    }
}

extension ControlStatus {
    /// As people read it: `not evaluated`, not the JSON's `not-evaluated`.
    var label: String { self == .notEvaluated ? "not evaluated" : rawValue }
}

extension ControlResult {
    /// The control's policies, each with its own status when the control has several.
    var policyList: String {
        policies.map { policies.count > 1 || $0.status != status ? "\($0.policyId) (\($0.status.label))" : $0.policyId }
            .joined(separator: ", ")
    }

    /// Why the control is manual or not evaluated, or how its policies evidence it.
    var explanation: String { reason ?? control.note ?? "" }
}
