import Foundation

/// A standard 5-field cron expression: minute hour day-of-month month day-of-week.
///
/// Fields accept `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b,c`, and the names
/// JAN–DEC and SUN–SAT (case-insensitive). Day-of-week 0 and 7 are both Sunday.
/// Day matching follows Vixie cron: when both day fields are restricted (neither starts with `*`),
/// a day matches if *either* matches; otherwise both must.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    /// Bit n set ⇔ value n allowed.
    let minutes: UInt64
    let hours: UInt32
    let daysOfMonth: UInt32
    let months: UInt16
    let daysOfWeek: UInt8
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public var description: String { source }

    public init(_ text: String) throws(CronParseError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronParseError(
                field: nil, text: text,
                reason: "a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has \(fields.count)"
            )
        }
        source = fields.joined(separator: " ")
        minutes = try UInt64(CronField.minute.parse(fields[0]))
        hours = try UInt32(CronField.hour.parse(fields[1]))
        daysOfMonth = try UInt32(CronField.dayOfMonth.parse(fields[2]))
        months = try UInt16(CronField.month.parse(fields[3]))
        var weekdays = try CronField.dayOfWeek.parse(fields[4])
        if weekdays & (1 << 7) != 0 { weekdays = (weekdays | 1) & ~(1 << 7) } // 7 is Sunday too
        daysOfWeek = UInt8(weekdays)
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
        if dayOfMonthRestricted && !dayOfWeekRestricted && !Self.someMonthHasOneOf(daysOfMonth, in: months) {
            throw CronParseError(
                field: .dayOfMonth, text: fields[2],
                reason: "no day in it exists in the chosen month(s) (e.g. 30 February), so the schedule would never run"
            )
        }
    }

    /// Whether a calendar day (month 1–12, day 1–31, weekday 0 = Sunday) is a day the expression runs on.
    func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
        guard months & (1 << month) != 0 else { return false }
        let dayOfMonthMatches = daysOfMonth & (1 << day) != 0
        let dayOfWeekMatches = daysOfWeek & (1 << weekday) != 0
        if dayOfMonthRestricted && dayOfWeekRestricted { return dayOfMonthMatches || dayOfWeekMatches }
        return dayOfMonthMatches && dayOfWeekMatches
    }

    /// The most times the expression fires in one local day: its hours × its minutes (at most 24 × 60 = 1440).
    /// Every day it runs on reaches this except a day whose clocks jump forward, which loses the skipped times.
    var firesPerRunningDay: Int { hourList.count * minuteList.count }

    /// Whether every calendar day is a day the expression runs on (months, days of month and weekdays all open).
    var runsEveryDay: Bool {
        let allMonths: UInt16 = 0b1_1111_1111_1110
        let allDaysOfMonth: UInt32 = 0xFFFF_FFFE
        let allWeekdays: UInt8 = 0b111_1111
        guard months & allMonths == allMonths else { return false }
        let everyDayOfMonth = daysOfMonth & allDaysOfMonth == allDaysOfMonth
        let everyWeekday = daysOfWeek & allWeekdays == allWeekdays
        if dayOfMonthRestricted && dayOfWeekRestricted { return everyDayOfMonth || everyWeekday }
        return everyDayOfMonth && everyWeekday
    }

    /// How many times the expression fires on the local day (in `timeZone`) that contains `instant`, counted the way
    /// the scheduler runs it: each matching wall-clock time once (a repeated hour does not fire twice), and times
    /// skipped by a DST gap fire once, together, at the end of the gap. At most 1440 steps; 0 on a day it does not run.
    public func fireCount(onLocalDayContaining instant: Date, in timeZone: TimeZone) -> Int {
        let clock = LocalClock(timeZone: timeZone)
        let day = clock.localDay(at: instant)
        let date = LocalClock.civil(fromDay: day)
        guard matchesDay(month: date.month, day: date.day, weekday: LocalClock.weekday(ofDay: day)) else { return 0 }
        var count = 0
        var previous: Date?
        for hour in hourList {
            for minute in minuteList {
                let fire = clock.instant(localSecond: day * 86_400 + Int64(hour * 3600 + minute * 60))
                // Wall-clock times ascend, so their instants never go back; equal ones are one run.
                if fire != previous && clock.localDay(at: fire) == day { count += 1 }
                previous = fire
            }
        }
        return count
    }

    /// The allowed hours and minutes, ascending.
    var hourList: [Int] { (0..<24).filter { hours & (1 << $0) != 0 } }
    var minuteList: [Int] { (0..<60).filter { minutes & (1 << UInt64($0)) != 0 } }

    /// The most days any of the chosen months can have (29 for February, leap years counted).
    private static func someMonthHasOneOf(_ days: UInt32, in months: UInt16) -> Bool {
        let longest = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for month in 1...12 where months & (1 << month) != 0 {
            for day in 1...longest[month] where days & (1 << day) != 0 { return true }
        }
        return false
    }
}

/// The five fields, with their ranges and names.
public enum CronField: String, Sendable, Hashable, CaseIterable {
    case minute
    case hour
    case dayOfMonth = "day-of-month"
    case month
    case dayOfWeek = "day-of-week"

    var range: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    var names: [String] {
        switch self {
        case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
        default: []
        }
    }

    /// The first value a name stands for (JAN = 1, SUN = 0).
    private var nameBase: Int { self == .month ? 1 : 0 }

    /// Parses one field into a bit set of allowed values.
    func parse(_ text: String) throws(CronParseError) -> UInt64 {
        guard !text.isEmpty else { throw error(text, "it is empty") }
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            bits |= try parseItem(String(item), whole: text)
        }
        return bits
    }

    private func parseItem(_ item: String, whole: String) throws(CronParseError) -> UInt64 {
        guard !item.isEmpty else { throw error(whole, "it has an empty item in its list") }
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw error(whole, "'\(item)' has more than one '/'") }
        var step = 1
        if parts.count == 2 {
            guard let value = Int(parts[1]), value > 0 else {
                throw error(whole, "the step in '\(item)' must be a whole number above 0")
            }
            step = value
        }
        let rangeText = String(parts[0])
        let low: Int
        let high: Int
        if rangeText == "*" {
            low = range.lowerBound
            high = self == .dayOfWeek ? 6 : range.upperBound
        } else {
            let bounds = rangeText.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2 else { throw error(whole, "'\(rangeText)' is not a value or a range a-b") }
            low = try value(String(bounds[0]), whole: whole)
            if bounds.count == 2 {
                high = try value(String(bounds[1]), whole: whole)
                guard low <= high else {
                    throw error(whole, "the range '\(rangeText)' runs backwards; write the smaller value first")
                }
            } else {
                // "5/15" means from 5 to the end in steps of 15.
                high = parts.count == 2 ? range.upperBound : low
            }
        }
        var bits: UInt64 = 0
        for value in stride(from: low, through: high, by: step) { bits |= 1 << UInt64(value) }
        return bits
    }

    private func value(_ text: String, whole: String) throws(CronParseError) -> Int {
        if let number = Int(text) {
            guard range.contains(number) else {
                throw error(whole, "\(number) is outside \(range.lowerBound)–\(range.upperBound)")
            }
            return number
        }
        if let index = names.firstIndex(of: text.uppercased()) { return index + nameBase }
        let allowed = names.isEmpty ? "" : " or a name (\(names.first ?? "")…\(names.last ?? ""))"
        throw error(whole, "'\(text)' is not a number\(allowed)")
    }

    private func error(_ text: String, _ reason: String) -> CronParseError {
        CronParseError(field: self, text: text, reason: reason)
    }
}

/// Why a cron expression was refused, naming the field at fault.
public struct CronParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field at fault; nil when the expression as a whole is malformed.
    public let field: CronField?
    public let text: String
    public let reason: String

    public var description: String {
        guard let field else { return "invalid cron expression '\(text)': \(reason)" }
        return "invalid cron \(field.rawValue) field '\(text)': \(reason)"
    }
}
