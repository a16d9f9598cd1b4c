import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `credential_process`: runs the command through `/bin/sh -c` and reads the Version 1 JSON
/// it prints. Its stderr is never shown: such tools may echo secrets there.
enum ProcessCredentials {
    static func provider(command: String, profile: String, environment: [String: String]) -> RefreshingCredentialProvider {
        RefreshingCredentialProvider {
            let source = "credential_process of profile \(profile)"
            let (status, output) = try await run(command, environment: environment, source: source)
            guard status == 0 else { throw CredentialError(source: source, reason: "command exited with status \(status)") }
            return try credentials(fromOutput: output, source: source)
        }
    }

    /// The command's output: `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
    static func credentials(fromOutput output: Data, source: String) throws(CredentialError) -> Credentials {
        guard let object = (try? JSONSerialization.jsonObject(with: output)) as? [String: Any] else {
            throw CredentialError(source: source, reason: "output is not a JSON object")
        }
        guard (object["Version"] as? Int) == 1 else {
            throw CredentialError(source: source, reason: "output Version must be 1")
        }
        guard let id = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String else {
            throw CredentialError(source: source, reason: "output lacks AccessKeyId or SecretAccessKey")
        }
        var expiration: Date?
        if let text = object["Expiration"] as? String {
            guard let date = AWSTimestamp.parse(text) else {
                throw CredentialError(source: source, reason: "Expiration is not an ISO 8601 time")
            }
            expiration = date
        }
        return Credentials(accessKeyId: id, secretAccessKey: secret,
                           sessionToken: object["SessionToken"] as? String, expiration: expiration)
    }

    /// posix_spawn and waitpid on a plain thread: Foundation's Process can hang waiting off
    /// the main thread on Linux, and the cooperative pool must not block.
    static func run(_ command: String, environment: [String: String], source: String) async throws(CredentialError) -> (Int32, Data) {
        let result: Result<(Int32, Data), CredentialError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: spawnAndWait(command, environment: environment, source: source))
            }
        }
        return try result.get()
    }

    private static func spawnAndWait(_ command: String, environment: [String: String], source: String) -> Result<(Int32, Data), CredentialError> {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { return .failure(CredentialError(source: source, reason: "pipe failed")) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        let argv: [UnsafeMutablePointer<CChar>?] = [String](arrayLiteral: "/bin/sh", "-c", command).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        close(pipeFDs[1])
        guard spawned == 0 else {
            close(pipeFDs[0])
            return .failure(CredentialError(source: source, reason: "cannot start /bin/sh (error \(spawned))"))
        }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(pipeFDs[0], &buffer, buffer.count)
            if n > 0 { output.append(buffer, count: n) } else if n == 0 || errno != EINTR { break }
        }
        close(pipeFDs[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        return .success((exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output))
    }
}
