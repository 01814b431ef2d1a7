import Foundation

/// A clan's snapshot schedule: a cron expression read in the clan's time zone, at most
/// `maxDailyRuns` runs per local day.
public struct Schedule: Sendable, Hashable {
    /// The most runs a schedule may make in one local day.
    public static let dailyRunCap = 2

    public let cron: CronExpression
    public let timeZone: TimeZone
    public let maxDailyRuns: Int

    public init(cron: CronExpression, timeZone: TimeZone, maxDailyRuns: Int) throws(ScheduleError) {
        guard maxDailyRuns >= 1 else { throw .dailyRunsTooFew(maxDailyRuns) }
        guard maxDailyRuns <= Self.dailyRunCap else { throw .dailyRunsAboveCap(maxDailyRuns) }
        self.cron = cron
        self.timeZone = timeZone
        self.maxDailyRuns = maxDailyRuns
    }

    /// Parses the stored or typed form: cron text, IANA zone name, daily cap.
    public init(cron: String, timeZoneIdentifier: String, maxDailyRuns: Int) throws(ScheduleError) {
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else { throw .unknownTimeZone(timeZoneIdentifier) }
        let expression: CronExpression
        do { expression = try CronExpression(cron) } catch { throw .cron(error) }
        try self.init(cron: expression, timeZone: zone, maxDailyRuns: maxDailyRuns)
    }

    /// The next time the schedule fires strictly after `after`.
    /// `runsToday` counts the runs already made on the local day of `after`; once it reaches the
    /// daily cap, the rest of that day is skipped. Nil only if the cron can never fire again.
    public func nextRun(after: Date, runsToday: Int) -> Date? {
        let clock = LocalClock(timeZone: timeZone)
        let today = clock.localDay(at: after)
        if runsToday >= maxDailyRuns {
            return nextFire(clock: clock, after: clock.startOfDay(today + 1).addingTimeInterval(-1), fromDay: today + 1)
        }
        return nextFire(clock: clock, after: after, fromDay: today)
    }

    /// How many times the cron fires on the local day containing `instant` (before the daily cap skips any).
    func fires(onLocalDayContaining instant: Date) -> Int {
        cron.fireCount(onLocalDayContaining: instant, in: timeZone)
    }

    /// Said to whoever sets the schedule when the cron fires more often in a day than `maxDailyRuns` lets run:
    /// the later slots would be skipped every day, silently. Nil when every firing can run.
    public var dailyCapWarning: String? {
        let fires = cron.firesPerRunningDay
        guard fires > maxDailyRuns else { return nil }
        // Keep the officer's day fields, so a weekday-only schedule stays weekday-only.
        let days = cron.source.split(separator: " ").suffix(3).joined(separator: " ")
        let hours = (0..<maxDailyRuns).map { String(6 + $0 * (24 / maxDailyRuns)) }.joined(separator: ",")
        let runs = maxDailyRuns == 2 ? "two" : String(maxDailyRuns)
        let example = maxDailyRuns == 1
            ? "For one run a day use a single time such as `0 18 \(days)`."
            : "For \(runs) runs a day use \(runs) times such as `0 \(hours) \(days)`."
        return "This fires \(fires) times \(cron.runsEveryDay ? "a day" : "on each day it runs"); only the first \(maxDailyRuns) will run each day "
            + "(max_daily_runs). \(example)"
    }

    /// The instant the local day containing `instant` began; runs are counted from here.
    public func startOfLocalDay(containing instant: Date) -> Date {
        let clock = LocalClock(timeZone: timeZone)
        return clock.startOfDay(clock.localDay(at: instant))
    }

    /// Scans local days from `fromDay` for the first firing instant later than `after`.
    /// Eight years covers every leap-day schedule (there is no 29 February in 2100).
    private func nextFire(clock: LocalClock, after: Date, fromDay: Int64) -> Date? {
        let hours = cron.hourList
        let minutes = cron.minuteList
        for day in fromDay..<(fromDay + 366 * 8 + 2) {
            let date = LocalClock.civil(fromDay: day)
            guard cron.matchesDay(month: date.month, day: date.day, weekday: LocalClock.weekday(ofDay: day)) else { continue }
            for hour in hours {
                for minute in minutes {
                    let local = day * 86_400 + Int64(hour * 3600 + minute * 60)
                    let instant = clock.instant(localSecond: local)
                    if instant > after { return instant }
                }
            }
        }
        return nil
    }
}

/// Why a schedule was refused, worded for the officer who typed it.
public enum ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    case cron(CronParseError)
    case unknownTimeZone(String)
    case dailyRunsAboveCap(Int)
    case dailyRunsTooFew(Int)

    public var description: String {
        switch self {
        case .cron(let error): error.description
        case .unknownTimeZone(let name):
            "unknown time zone '\(name)'; use an IANA name such as Europe/London or America/New_York"
        case .dailyRunsAboveCap(let value):
            "max_daily_runs is \(value), but a schedule may run at most \(Schedule.dailyRunCap) times a day"
        case .dailyRunsTooFew(let value):
            "max_daily_runs is \(value); it must be at least 1 (disable the schedule to stop it)"
        }
    }
}
