/// An instant in UTC with millisecond precision, written as RFC 3339 text.
///
/// The ledger stores every time in one textual form, `YYYY-MM-DDTHH:MM:SS.mmmZ`, so that
/// text order is time order (plain `sqlite3` queries can compare them) and an exported
/// event re-ingests to the same bytes. Input may use any RFC 3339 offset and any number of
/// fraction digits; it is converted to UTC and truncated to the millisecond.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// This instant moved by a number of whole days.
    public func adding(days: Int) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + Int64(days) * 86_400_000)
    }

    /// The canonical text: `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public var description: String { rfc3339 }

    /// The canonical text: `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public var rfc3339: String {
        let millis = millisecondsSinceEpoch
        var days = millis / 86_400_000
        var rest = millis % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let (year, month, day) = Self.civil(fromDays: days)
        let hour = rest / 3_600_000
        let minute = rest / 60_000 % 60
        let second = rest / 1000 % 60
        let milli = rest % 1000
        // Years outside 0...9999 keep their low four digits, as before (the format has four).
        return String(unsafeUninitializedCapacity: 24) { out in
            func put(_ value: Int64, at start: Int, width: Int) {
                var value = value
                for position in stride(from: start + width - 1, through: start, by: -1) {
                    out[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: ((value % 10) + 10) % 10)
                    value /= 10
                }
            }
            put(year, at: 0, width: 4); out[4] = UInt8(ascii: "-")
            put(month, at: 5, width: 2); out[7] = UInt8(ascii: "-")
            put(day, at: 8, width: 2); out[10] = UInt8(ascii: "T")
            put(hour, at: 11, width: 2); out[13] = UInt8(ascii: ":")
            put(minute, at: 14, width: 2); out[16] = UInt8(ascii: ":")
            put(second, at: 17, width: 2); out[19] = UInt8(ascii: ".")
            put(milli, at: 20, width: 3); out[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    // MARK: - Parsing

    /// Parses RFC 3339 date-time text (`2026-01-05T09:00:00Z`, `2026-01-05T10:00:00.5+01:00`).
    ///
    /// Returns nil for anything else, including dates that do not exist (February 30th).
    public init?(rfc3339 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Timestamp(rfc3339UTF8: $0) }) else { return nil }
        self = parsed
    }

    /// Parses RFC 3339 date-time text given as its UTF-8 bytes, as ``init(rfc3339:)`` does.
    public init?(rfc3339UTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let millis = Self.parse(bytes, allowDateOnly: false) else { return nil }
        self.millisecondsSinceEpoch = millis
    }

    /// Parses a time given on the command line: RFC 3339 date-time, or a bare date
    /// (`2026-03-01`, meaning its first millisecond in UTC).
    public init?(userInput text: String) {
        var text = text
        guard let millis = text.withUTF8({ Self.parse($0, allowDateOnly: true) }) else { return nil }
        self.millisecondsSinceEpoch = millis
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>, allowDateOnly: Bool) -> Int64? {
        func digits(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= b.count else { return nil }
            var value: Int64 = 0
            for i in start..<(start + count) {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                value = value * 10 + Int64(b[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = digits(0, 4), b.count >= 10, b[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            b[7] == UInt8(ascii: "-"), let day = digits(8, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        let dayNumber = days(fromCivil: year, month, day)
        if b.count == 10 {
            return allowDateOnly ? dayNumber * 86_400_000 : nil
        }
        guard b.count >= 20, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
            let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
            b[16] == UInt8(ascii: ":"), let second = digits(17, 2),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var millis: Int64 = 0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[index]) {
                if index - start < 3 { millis = millis * 10 + Int64(b[index] - UInt8(ascii: "0")) }
                index += 1
            }
            guard index > start else { return nil }
            for _ in min(index - start, 3)..<3 { millis *= 10 }
        }
        guard index < b.count else { return nil }
        var offsetMinutes: Int64 = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = b[index] == UInt8(ascii: "+") ? 1 : -1
            guard let offsetHours = digits(index + 1, 2), index + 3 < b.count, b[index + 3] == UInt8(ascii: ":"),
                let offsetMins = digits(index + 4, 2), offsetHours < 24, offsetMins < 60
            else { return nil }
            offsetMinutes = sign * (offsetHours * 60 + offsetMins)
            index += 6
        default:
            return nil
        }
        guard index == b.count else { return nil }
        let seconds = dayNumber * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetMinutes * 60
        return seconds * 1000 + millis
    }

    // MARK: - Civil calendar (Howard Hinnant's algorithms)

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
