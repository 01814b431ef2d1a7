import Foundation

/// Every ISO 8601 time clanbot writes or reads, in one place: whole seconds ("2026-12-01T18:00:00Z") for
/// people and logs, milliseconds ("2026-12-01T18:00:00.000Z") where a published record keeps them, and the
/// forms people type. Always UTC when written. (Discord's embed timestamps, below Domain, format their own.)
public enum ISO8601Time {
    /// "2026-12-01T18:00:00Z".
    public static func string(_ date: Date) -> String {
        formatter([.withInternetDateTime]).string(from: date)
    }

    /// "2026-12-01T18:00:00.000Z": the draw's published texts keep milliseconds.
    public static func stringWithFractionalSeconds(_ date: Date) -> String {
        formatter([.withInternetDateTime, .withFractionalSeconds]).string(from: date)
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

    /// A new formatter each time: `ISO8601DateFormatter` is a class that is not Sendable.
    private static func formatter(_ options: ISO8601DateFormatter.Options, zone: TimeZone? = nil) -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = options
        formatter.timeZone = zone ?? TimeZone(identifier: "UTC")
        return formatter
    }
}
