import AmigoCollect
import AmigoCore
import Foundation

/// `amigo policies validate|list` and `amigo permissions`.
public enum PolicyCommands {
    public static func validate(_ files: [URL], console: Console) -> ExitStatus {
        do {
            let loaded = try PolicyFiles.load(files)
            let names = (files.isEmpty ? [PolicyFiles.defaultFile] : files).map(\.relativePath)
            console.out("ok: \(loaded.set.policies.count) policies, \(loaded.set.waivers.count) waivers in \(names.joined(separator: ", "))")
            return .clean
        } catch {
            console.err(String(describing: error))
            return .usage
        }
    }

    /// Every check with its parameters, data needs and examples: the reference a policy
    /// author writes against. Region checks say so: they judge each account×region, not images.
    public static func list() -> String {
        var out = ""
        for check in CheckRegistry.descriptors {
            out += "\(check.id)\(check.resourceType == "region" ? " (region check: one result per account×region)" : "")\n"
            out += "    \(check.summary)\n"
            if !check.parameters.isEmpty {
                out += "    parameters:\n"
                for p in check.parameters {
                    out += "      \(p.name) (\(p.type)\(p.required ? ", required" : "")): \(p.summary)\n"
                }
            }
            out += "    reads: \(check.needs.sorted().map(\.rawValue).joined(separator: ", "))\n"
            out += "    IAM: \(CollectionPlan(needs: check.needs).iamActions.joined(separator: ", "))\n"
            if !check.examples.isEmpty {
                out += "    examples:\n"
                for e in check.examples {
                    let params = e.params.trimmingCharacters(in: .whitespacesAndNewlines)
                        .replacingOccurrences(of: "\n", with: "; ")
                    out += "      \(e.expect == .pass ? "pass" : "FAIL"): \(e.name)\(params.isEmpty ? "" : "  [\(params)]")\n"
                }
            }
            out += "\n"
        }
        return out
    }

    /// The least-privilege IAM policy for the enabled checks and account selection — exactly
    /// the actions a scan with the same flags sends (`CollectionPlan.actions`) — as JSON, or
    /// the member-account role carrying it (`format`).
    public static func permissions(_ files: [URL], accounts: AccountSelection, organizationalUnits: [String] = [],
                                   full: Bool, format: PermissionsFormat = .json, console: Console) -> ExitStatus {
        do {
            let loaded = try PolicyFiles.load(files)
            let plan = CollectionPlan(accounts: accounts, organizationalUnits: organizationalUnits,
                                      needs: full ? Set(DataNeed.allCases) : loaded.set.needs)
            console.out(try PermissionsDocument.render(plan.iamActions, format: format))
            return .clean
        } catch {
            console.err(String(describing: error))
            return .usage
        }
    }
}
