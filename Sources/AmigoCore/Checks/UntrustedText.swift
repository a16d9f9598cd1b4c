/// AWS-sourced strings (tag values, image names) are chosen by whoever can tag an image. When a
/// message quotes one, it is shortened and what could steer a reader made visible (`InertText`), so a value
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
            default:
                if InertText.isSteering(scalar) { out += InertText.visible(scalar) } else { out.unicodeScalars.append(scalar) }
            }
            count += 1
        }
        return out + "\""
    }
}
