#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shell-style wildcards (`*`, `?`, `[abc]`), as in policy scopes and KMS key allow-lists.
public enum Glob {
    public static func matches(_ pattern: String, _ value: String) -> Bool {
        if pattern == "*" { return true }
        if !pattern.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) { return pattern == value }
        return fnmatch(pattern, value, 0) == 0
    }
}
