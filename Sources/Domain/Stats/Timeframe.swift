import Foundation

/// The period a stats report or leaderboard covers. Resolved to a concrete `TimeWindow` against
/// "now" and the clan's time zone.
public enum Timeframe: Sendable, Hashable, Codable, CustomStringConvertible {
    case last7Days
    case last30Days
    /// From local midnight on the 1st of the current month (clan's zone) until now.
    case monthToDate
    case custom(start: Date, end: Date)

    /// The stored and typed name: "7d", "30d", "mtd", "custom".
    public var key: String {
        switch self {
        case .last7Days: "7d"
        case .last30Days: "30d"
        case .monthToDate: "mtd"
        case .custom: "custom"
        }
    }

    public var description: String {
        switch self {
        case .last7Days: "last 7 days"
        case .last30Days: "last 30 days"
        case .monthToDate: "month to date"
        case .custom(let start, let end): "\(ISO8601Time.string(start)) – \(ISO8601Time.string(end))"
        }
    }

    /// The window this timeframe covers at `now`.
    public func window(at now: Date, timeZone: TimeZone) -> TimeWindow {
        switch self {
        case .last7Days: TimeWindow(start: now.addingTimeInterval(-7 * 86_400), end: now)
        case .last30Days: TimeWindow(start: now.addingTimeInterval(-30 * 86_400), end: now)
        case .monthToDate:
            TimeWindow(start: Self.startOfMonth(containing: now, in: timeZone), end: now)
        case .custom(let start, let end): TimeWindow(start: start, end: end)
        }
    }

    /// Parses "7d", "30d", "mtd" or "START..END". START and END are dates (YYYY-MM-DD, read in the
    /// clan's zone; END counts as a whole day) or ISO 8601 instants ("2026-11-01T18:00:00Z").
    public static func parse(_ text: String, timeZone: TimeZone) throws(TimeframeError) -> Timeframe {
        switch text.lowercased() {
        case "7d": return .last7Days
        case "30d": return .last30Days
        case "mtd": return .monthToDate
        default: break
        }
        guard let separator = text.range(of: "..") else { throw .unknown(text) }
        let startText = String(text[..<separator.lowerBound])
        let endText = String(text[separator.upperBound...])
        guard let start = instant(startText, timeZone: timeZone, endOfDay: false) else { throw .badDate(startText) }
        guard let end = instant(endText, timeZone: timeZone, endOfDay: true) else { throw .badDate(endText) }
        guard start < end else { throw .endBeforeStart(text) }
        return .custom(start: start, end: end)
    }

    private static func instant(_ text: String, timeZone: TimeZone, endOfDay: Bool) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
           let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
           (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) {
            let clock = LocalClock(timeZone: timeZone)
            let dayNumber = LocalClock.day(year: year, month: month, day: day)
            return clock.startOfDay(endOfDay ? dayNumber + 1 : dayNumber)
        }
        return ISO8601Time.wholeSecondsDate(from: text)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    static func startOfMonth(containing now: Date, in timeZone: TimeZone) -> Date {
        let clock = LocalClock(timeZone: timeZone)
        let today = LocalClock.civil(fromDay: clock.localDay(at: now))
        return clock.startOfDay(LocalClock.day(year: today.year, month: today.month, day: 1))
    }
}

/// A concrete period: [start, end].
public struct TimeWindow: Sendable, Hashable, Codable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}

/// Why a timeframe was refused.
public enum TimeframeError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknown(String)
    case badDate(String)
    case endBeforeStart(String)

    public var description: String {
        switch self {
        case .unknown(let text):
            "unknown timeframe '\(text)'; use 7d, 30d, mtd or START..END (e.g. 2026-11-01..2026-11-15)"
        case .badDate(let text):
            "'\(text)' is not a date; write YYYY-MM-DD or an ISO 8601 time such as 2026-11-01T18:00:00Z"
        case .endBeforeStart(let text):
            "the timeframe '\(text)' ends before it starts"
        }
    }
}
