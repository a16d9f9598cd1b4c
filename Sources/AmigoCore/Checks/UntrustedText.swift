/// AWS-sourced strings (tag values, image names) are chosen by whoever can tag an image. When a
/// message quotes one, it is shortened and its control characters made visible, so a value
/// cannot forge extra lines in a log or a terminal. Reporters still escape for their format.
public enum UntrustedText {
    public static let maxQuoted = 80

    public static func quoted(_ value: String) -> String {
        if value.utf8.count <= maxQuoted && value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
            return "\"" + value + "\""
        }
        var out = "\""
        var count = 0
        for scalar in value.unicodeScalars {
            if count == maxQuoted { out += "…"; break }
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return out + "\""
    }
}
