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

    /// How `amigo policies list` prints the registry.
    public enum ListFormat: String, CaseIterable, Sendable {
        /// Every check in full: the reference a policy author writes against.
        case text
        /// The README's check table, one row per check.
        case markdown
    }

    public static func list(format: ListFormat = .text) -> String {
        switch format {
        case .text: checkReference()
        case .markdown: checkTable()
        }
    }

    /// Every check with its rationale, remediation, parameters, data needs and examples.
    /// Region checks say so: they judge each account×region, not images.
    static func checkReference() -> String {
        var out = ""
        for type in CheckRegistry.all {
            let check = type.descriptor
            let kind = switch type.resourceType {
            case Finding.regionResourceType: " (region check: one result per account×region)"
            case Finding.workloadResourceType: " (workload check: one result per instance, launch template version, Auto Scaling group, launch configuration or SSM parameter, wherever its image lives)"
            default: ""
            }
            out += "\(check.id)\(kind)\n"
            out += "    \(check.title)\n"
            out += "    why: \(check.rationale)\n"
            out += "    fix: \(check.remediation.summary)\n"
            for command in check.remediation.commands { out += "      $ \(command)\n" }
            out += "    docs: \(check.remediation.documentation)\n"
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
                    out += "      \(e.expect.passes ? "pass" : "FAIL"): \(e.name)\(params.isEmpty ? "" : "  [\(params)]")"
                    if case .fail(let evidence, let message) = e.expect {
                        let pairs = evidence.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                        out += " -> \((pairs + (message.map { ["\"\($0)\""] } ?? [])).joined(separator: ", "))"
                    }
                    out += "\n"
                }
            }
            out += "\n"
        }
        return out
    }

    /// The README's table of checks, generated so it cannot drift from the registry.
    static func checkTable() -> String {
        var out = "| check | judges | passes when | parameters | fix |\n|---|---|---|---|---|\n"
        for type in CheckRegistry.all {
            let check = type.descriptor
            let judges = switch type.resourceType {
            case Finding.regionResourceType: "account×region"
            case Finding.workloadResourceType: "workload"
            default: "image"
            }
            let parameters = check.parameters.map { "`\($0.name)`" }.joined(separator: ", ")
            out += "| `\(check.id)` | \(judges) | \(markdownCell(check.title)) | \(parameters) | [\(markdownCell(check.remediation.summary))](\(check.remediation.documentation)) |\n"
        }
        return out
    }

    private static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
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
