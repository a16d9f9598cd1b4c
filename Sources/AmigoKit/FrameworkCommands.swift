import AmigoCore
import Foundation

/// `amigo frameworks list|show`: the bundled frameworks, and how each control is evidenced.
public enum FrameworkCommands {
    /// The ids of the bundled frameworks, for `--framework` to check against; an error in a
    /// framework file is the message.
    /// The bundled frameworks' ids, read once per process: argument parsing asks for them
    /// several times (help, completion, validation), and each read loads every framework
    /// file and policy pack (42 file opens per `amigo scan` before).
    public static func knownIds() -> Result<[String], UsageError> { bundledIds }

    private static let bundledIds: Result<[String], UsageError> = {
        do { return .success(try FrameworkFiles.load().set.ids) } catch let error as UsageError {
            return .failure(error)
        } catch { return .failure(UsageError(String(describing: error))) }
    }()

    public static func list(console: Console) -> ExitStatus {
        do {
            let set = try FrameworkFiles.load().set
            guard !set.frameworks.isEmpty else {
                console.err("error: no framework files found (\(BundledFiles.describeSearch()))")
                return .usage
            }
            var rows = [["id", "framework", "controls", "judged", "manual"]]
            for f in set.frameworks {
                let manual = f.controls.filter { $0.manual != nil }.count
                rows.append([f.id, "\(f.name) \(f.version)", String(f.controls.count), String(f.controls.count - manual), String(manual)])
            }
            console.out(table(rows) + "\namigo frameworks show ID: each control, its policies and the source of the mapping.\n"
                        + "amigo scan --framework ID: enable the policies a framework needs and report per control.")
            return .clean
        } catch {
            console.err(String(describing: error))
            return .usage
        }
    }

    public static func show(_ id: String, console: Console) -> ExitStatus {
        do {
            let files = try FrameworkFiles.load()
            guard let f = try files.select([id]).first else { return .usage }
            let packOf = Dictionary(files.packs.flatMap { pack in pack.ids.map { ($0, pack.source.file) } },
                                    uniquingKeysWith: { first, _ in first })
            var out = "\(f.id): \(f.name) \(f.version)\n"
            out += "source: \(f.document)\n        \(f.url)\n"
            out += "mapping file: \(f.file)\n\n"
            for c in f.controls {
                out += "\(c.id)  \(c.title)\n"
                out += "    section: \(c.section)\(c.url.map { " (\($0))" } ?? "")\n"
                let policies = c.policies.map { "\($0) (\(packOf[$0] ?? "?"))" }.joined(separator: ", ")
                if let manual = c.manual {
                    out += "    manual: \(manual)\n"
                    if !policies.isEmpty { out += "    judged instead when enabled: \(policies)\n" }
                } else {
                    out += "    evidenced by: \(policies)\n"
                }
                if let note = c.note { out += "    note: \(note)\n" }
            }
            out += "\n--framework \(f.id) enables: \(f.requiredPolicies.joined(separator: ", "))"
                + " (those your --policies lack; without --policies, only these)\n"
            console.out(out)
            return .clean
        } catch {
            console.err(String(describing: error))
            return .usage
        }
    }

    private static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }
}
