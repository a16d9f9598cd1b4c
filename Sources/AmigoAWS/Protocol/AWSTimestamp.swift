import Foundation

/// Timestamps as AWS writes them: `2024-03-01T12:00:00.000Z`, `2099-01-01T00:00:00Z`,
/// moto's `2026-11-23T11:41:36.876486Z`, or with a `+hh:mm` offset, in XML answers, STS and
/// metadata credentials and credential_process output alike. Parsed by hand: Foundation's
/// ISO 8601 formatter rejects some of these, is not cheap per call, and on Linux its ICU parser
/// dies of a division by zero on a long fraction (`…:00.4444…123Z`), which anyone who can answer
/// a credential request could send.
public enum AWSTimestamp {
    public static func parse(_ text: String) -> Date? {
        let s = Array(text.trimmedWhitespace().utf8)
        guard s.count >= 19, s[4] == 0x2D, s[7] == 0x2D, s[10] == 0x54 || s[10] == 0x74 || s[10] == 0x20,
              s[13] == 0x3A, s[16] == 0x3A,
              let year = digits(s, 0, 4), let month = digits(s, 5, 2), let day = digits(s, 8, 2),
              let hour = digits(s, 11, 2), let minute = digits(s, 14, 2), let second = digits(s, 17, 2),
              (1...12).contains(month), (1...daysIn(month, year)).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < s.count, s[i] == 0x2E {
            i += 1
            var scale = 0.1
            let start = i
            while i < s.count, (0x30...0x39).contains(s[i]) {
                fraction += Double(s[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offset = 0
        if i < s.count, s[i] == 0x5A || s[i] == 0x7A {
            i += 1
        } else if i < s.count, s[i] == 0x2B || s[i] == 0x2D {
            guard s.count >= i + 6, s[i + 3] == 0x3A,
                  let oh = digits(s, i + 1, 2), let om = digits(s, i + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (s[i] == 0x2B ? 1 : -1)
            i += 6
        } else {
            return nil  // AWS always says UTC; a time without a zone is ambiguous.
        }
        guard i == s.count else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    private static func digits(_ s: [UInt8], _ at: Int, _ count: Int) -> Int? {
        var value = 0
        for k in at..<(at + count) {
            guard (0x30...0x39).contains(s[k]) else { return nil }
            value = value * 10 + Int(s[k] - 0x30)
        }
        return value
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
