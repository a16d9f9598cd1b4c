import AmigoCore

/// Every AWS-sourced string (names, tags, descriptions, error messages) is data: these turn it
/// into inert text for each output format.
enum Escape {
    /// Drops what XML 1.0 forbids even as a character reference (C0 controls other than tab,
    /// LF and CR, and U+FFFE/U+FFFF) and makes visible what would steer a reader without being
    /// seen: DEL, C1 controls, bidi overrides and isolates, line separators (`InertText`).
    /// Every format starts here: a raw control character is never what a reader needs to see.
    /// Tab, LF and CR are left to each format.
    static func inert(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ isLegalXML($0) && !needsShowing($0) }) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars where isLegalXML(scalar) {
            if needsShowing(scalar) { out += InertText.visible(scalar) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    private static func needsShowing(_ s: Unicode.Scalar) -> Bool {
        InertText.isSteering(s) && s != "\t" && s != "\n" && s != "\r"
    }

    static func isLegalXML(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// For attribute values (and, with `attribute: false`, element content). In attributes tab,
    /// CR and LF become references so that attribute-value normalisation cannot turn them into
    /// spaces; in content only CR does, since parsers would fold CRLF into LF.
    static func xml(_ text: String, attribute: Bool = true) -> String {
        if isPlainASCII(text) { return text }
        return replacing(inert(text)) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&apos;"
            case "\t" where attribute: "&#9;"
            case "\n" where attribute: "&#10;"
            case "\r": "&#13;"
            default: nil
            }
        }
    }

    /// Safe in element content and in double- or single-quoted attribute values.
    static func html(_ text: String) -> String {
        if isPlainASCII(text) { return text }
        return replacing(inert(text)) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            case "\r": ""
            default: nil
            }
        }
    }

    /// One Markdown table cell: nothing in it can end the cell, start a new row, or become a
    /// link, an image, emphasis, code or raw HTML.
    static func markdownCell(_ text: String) -> String {
        replacing(inert(text).replacingOccurrences(of: "\r\n", with: "\n")) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\n", "\r": "<br>"
            case "\t": " "
            case "|", "\\", "`", "*", "_", "[", "]", "~": "\\" + String(scalar)
            default: nil
            }
        }
    }

    /// Printable ASCII without the characters markup gives meaning to: what `xml` and `html`
    /// hand back unchanged, checked byte by byte (most AWS identifiers and names are this)
    /// before the scalar-by-scalar checks that any other text needs.
    static func isPlainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "&") && byte != UInt8(ascii: "<")
                && byte != UInt8(ascii: ">") && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "'")
        }
    }

    /// Rewrites each scalar `replacement` names (nil: keep it as it is).
    private static func replacing(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        // Most AWS strings need no escaping at all: hand them back without rebuilding them.
        if !text.unicodeScalars.contains(where: { replacement($0) != nil }) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let r = replacement(scalar) { out += r } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// One RFC 4180 field. A value a spreadsheet would read as a formula gets a leading `'`
    /// (OWASP's CSV-injection advice), then the field is quoted when it has to be.
    static func csvField(_ text: String) -> String {
        var value = inert(text)
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
