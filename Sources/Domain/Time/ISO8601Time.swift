import Foundation

/// Every ISO 8601 time clanbot writes or reads, in one place: whole seconds ("2026-12-01T18:00:00Z") for
/// people and logs, milliseconds ("2026-12-01T18:00:00.000Z") where a published record keeps them, and the
/// forms people type. Always UTC when written; the bot's log lines and Discord's embed timestamps use it too.
///
/// Times are written by hand (`CivilDate`), not with `ISO8601DateFormatter`: a formatter loads ICU's data, megabytes
/// of memory the running bot otherwise never needs. Reading what people type still uses the formatter.
public enum ISO8601Time {
    /// "2026-12-01T18:00:00Z".
    public static func string(_ date: Date) -> String {
        let (seconds, _) = wholeSecondsAndMilliseconds(date)
        return text(seconds) + "Z"
    }

    /// "2026-12-01T18:00:00.000Z": the draw's published texts keep milliseconds.
    public static func stringWithFractionalSeconds(_ date: Date) -> String {
        let (seconds, milliseconds) = wholeSecondsAndMilliseconds(date)
        let fraction = String(milliseconds)
        return text(seconds) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
    }

    /// A full date and time, with or without fractional seconds.
    public static func date(from text: String) -> Date? {
        formatter([.withInternetDateTime]).date(from: text)
            ?? formatter([.withInternetDateTime, .withFractionalSeconds]).date(from: text)
    }

    /// A date and time in whole seconds only.
    public static func wholeSecondsDate(from text: String) -> Date? {
        formatter([.withInternetDateTime]).date(from: text)
    }

    /// A plain day ("2026-12-01"), meaning its midnight in `zone`.
    public static func day(from text: String, zone: TimeZone) -> Date? {
        formatter([.withFullDate], zone: zone).date(from: text)
    }

    /// The instant to the nearest millisecond, as Foundation's formatter takes it (so every text written before
    /// reads the same), split into the whole second (rounded down, also before 1970) and the milliseconds after it.
    private static func wholeSecondsAndMilliseconds(_ date: Date) -> (seconds: Int64, milliseconds: Int) {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        return remainder < 0 ? (seconds - 1, Int(remainder + 1000)) : (seconds, Int(remainder))
    }

    /// "2026-12-01T18:00:00" for seconds since 1970 in UTC.
    private static func text(_ seconds: Int64) -> String {
        let (days, second) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, secondOfDay) = second < 0 ? (days - 1, Int(second + 86_400)) : (days, Int(second))
        let date = CivilDate(daysSince1970: day)
        return "\(padded(date.year, 4))-\(padded(date.month, 2))-\(padded(date.day, 2))T"
            + "\(padded(secondOfDay / 3600, 2)):\(padded(secondOfDay % 3600 / 60, 2)):\(padded(secondOfDay % 60, 2))"
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// A new formatter each time: `ISO8601DateFormatter` is a class that is not Sendable.
    private static func formatter(_ options: ISO8601DateFormatter.Options, zone: TimeZone? = nil) -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = options
        formatter.timeZone = zone ?? TimeZone(identifier: "UTC")
        return formatter
    }
}
