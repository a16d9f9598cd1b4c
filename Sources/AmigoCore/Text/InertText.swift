/// The one definition of the characters that can steer what a reader sees: in a terminal they
/// move the cursor, recolour or retitle (C0 with ESC and BEL, DEL, C1 with CSI and OSC); in any
/// viewer the bidi controls reorder text (`U+202E` shows "exe.txt" as "txt.exe"); line breaks
/// forge extra lines in a log. AWS strings (error messages, names, tags) are written by whoever
/// can tag an image or answer a request, so every output neutralises these: the terminal and
/// logs (`Console`, the log handler), and each reporter for its format.
public enum InertText {
    /// C0 controls (tab and line feed included), DEL, C1 controls, the bidi embeddings,
    /// overrides, isolates and marks, and the Unicode line and paragraph separators.
    public static func isSteering(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0x2028, 0x2029: true
        default: false
        }
    }

    /// A steering scalar as visible, inert text: `\n`, `\r`, `\t`, else `\u{1b}`.
    public static func visible(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        default: "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }

    /// One line that cannot steer: every steering scalar, line breaks included, made visible.
    public static func line(_ text: String) -> String {
        neutralising(text) { _ in false }
    }

    /// Text whose own line breaks (`\n`) are kept and everything else that steers is made
    /// visible: for amigo's multi-line messages, once AWS text inside them went through `line`.
    public static func lines(_ text: String) -> String {
        neutralising(text) { $0 == "\n" }
    }

    /// Makes visible each steering scalar that `keep` does not spare.
    public static func neutralising(_ text: String, keeping keep: (Unicode.Scalar) -> Bool) -> String {
        // Almost every string is plain: hand it back without rebuilding it.
        guard text.unicodeScalars.contains(where: { isSteering($0) && !keep($0) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if isSteering(scalar) && !keep(scalar) { out += visible(scalar) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
