import AmigoKit
import ArgumentParser
import Foundation

@main
struct Amigo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amigo",
        abstract: "AMI governance and compliance scanner for AWS organisations.",
        discussion: """
        amigo reads every account and region of an AWS Organization into a SQLite
        catalogue and evaluates YAML policies against it. It is read-only: it calls
        only Describe*, Get* and List* APIs and STS AssumeRole.

        Start here:
          amigo scan --demo              a demo organisation, offline, no AWS needed
          amigo scan --org               every account (management-account credentials)
          amigo policies list            what the checks are and how to configure them
          amigo frameworks list          CIS, FSBP, PCI DSS, HIPAA, SOC 2, NIST: use with --framework
          amigo permissions --org        the IAM policy amigo needs

        Exit codes: 0 clean; 1 findings at or above --fail-on; 2 usage or policy
        error; 3 scan incomplete (some account×region could not be read); 130/143
        stopped by SIGINT/SIGTERM (the scan is stored as interrupted).
        """,
        version: AmigoVersion.current,
        subcommands: [ScanCommand.self, CollectCommand.self, EvaluateCommand.self, ReportCommand.self,
                      PoliciesCommand.self, FrameworksCommand.self, PermissionsCommand.self, ScansCommand.self, DiffCommand.self,
                      MergeCommand.self, VersionCommand.self])

    /// Argument errors exit 2, as the CI contract says (swift-argument-parser's default is 64).
    static func main() async {
        do {
            var command = try parseAsRoot(versionAlias(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let exitCode = Self.exitCode(for: error)
            if exitCode == .success {
                print(Self.fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((Self.fullMessage(for: error) + "\n").utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }
}

/// `amigo --version --verbose` is `amigo version --verbose` (the parser's own --version takes no flags).
func versionAlias(_ arguments: [String]) -> [String] {
    Set(arguments) == ["--version", "--verbose"] ? ["version", "--verbose"] : arguments
}

extension ExitStatus {
    var code: ExitCode { ExitCode(rawValue) }
}
