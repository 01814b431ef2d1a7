import Foundation
import Testing
@testable import Domain

/// Counting how often a cron fires in one local day, and the warning when that is more than the daily cap lets run.
@Suite struct ScheduleDailyFiresTests {
    func schedule(_ cron: String, _ zone: String = "Europe/London", cap: Int = 1) throws -> Schedule {
        try Schedule(cron: cron, timeZoneIdentifier: zone, maxDailyRuns: cap)
    }

    /// Noon on Wednesday 14 January 2026, an ordinary winter day.
    let wednesday = utc("2026-01-14T12:00:00Z")

    @Test(arguments: [("*/5 * * * *", 288), ("0 18 * * *", 1), ("0 6,18 * * *", 2), ("* * * * *", 1440), ("0,30 9-17 * * *", 18)])
    func ordinaryDay(cron: String, fires: Int) throws {
        let daily = try schedule(cron)
        #expect(daily.fires(onLocalDayContaining: wednesday) == fires)
        #expect(daily.cron.firesPerRunningDay == fires)
    }

    @Test func weekdayOnlyCronsDoNotFireAtTheWeekend() throws {
        // Saturday 17 and Sunday 18 January 2026.
        for cron in ["*/5 * * * 1-5", "0 18 * * MON-FRI", "0 6,18 * * 1,2,3,4,5"] {
            let weekdays = try schedule(cron)
            #expect(weekdays.fires(onLocalDayContaining: utc("2026-01-17T12:00:00Z")) == 0, "\(cron)")
            #expect(weekdays.fires(onLocalDayContaining: utc("2026-01-18T12:00:00Z")) == 0, "\(cron)")
            #expect(weekdays.fires(onLocalDayContaining: wednesday) == weekdays.cron.firesPerRunningDay, "\(cron)")
        }
        #expect(try schedule("*/5 * * * 1-5").fires(onLocalDayContaining: wednesday) == 288)
    }

    @Test func theLocalDayIsTheClansNotUTCs() throws {
        // 23:30 UTC on Friday 16 January is already Saturday in Auckland (UTC+13) but still Friday in New York.
        let late = utc("2026-01-16T23:30:00Z")
        #expect(try schedule("0 18 * * 1-5", "Pacific/Auckland").fires(onLocalDayContaining: late) == 0)
        #expect(try schedule("0 18 * * 1-5", "America/New_York").fires(onLocalDayContaining: late) == 1)
    }

    @Test func springForwardLosesTheSkippedTimes() throws {
        // 29 March 2026 in London: 01:00 GMT jumps to 02:00 BST, a 23-hour day. 01:00–01:55 all run once, at 02:00.
        let spring = utc("2026-03-29T12:00:00Z")
        #expect(try schedule("*/5 * * * *").fires(onLocalDayContaining: spring) == 23 * 12)
        #expect(try schedule("0 * * * *").fires(onLocalDayContaining: spring) == 23)
        #expect(try schedule("30 1 * * *").fires(onLocalDayContaining: spring) == 1)  // runs at 02:00 BST
        #expect(try schedule("0 18 * * *").fires(onLocalDayContaining: spring) == 1)
        // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT.
        #expect(try schedule("0 * * * *", "America/New_York").fires(onLocalDayContaining: utc("2026-03-08T17:00:00Z")) == 23)
    }

    @Test func fallBackRunsTheRepeatedHourOnce() throws {
        // 25 October 2026 in London: 02:00 BST falls back to 01:00 GMT, a 25-hour day; each wall-clock time runs once.
        let autumn = utc("2026-10-25T12:00:00Z")
        #expect(try schedule("*/5 * * * *").fires(onLocalDayContaining: autumn) == 288)
        #expect(try schedule("30 1 * * *").fires(onLocalDayContaining: autumn) == 1)
        #expect(try schedule("0 * * * *").fires(onLocalDayContaining: autumn) == 24)
    }

    /// The count is what the scheduler would do without a cap: walk `nextRun` through the day and count.
    @Test(arguments: ["2026-01-14T12:00:00Z", "2026-03-29T12:00:00Z", "2026-10-25T12:00:00Z", "2026-01-17T12:00:00Z"])
    func countMatchesTheScheduler(day: String) throws {
        for cron in ["*/5 * * * *", "*/7 0-3 * * *", "30 1 * * *", "0 6,18 * * 1-5", "15,45 0-2 * * *"] {
            let uncapped = try schedule(cron, cap: 2)
            let start = uncapped.startOfLocalDay(containing: utc(day))
            let end = uncapped.startOfLocalDay(containing: start.addingTimeInterval(30 * 3600))
            var walked = 0
            var cursor = start.addingTimeInterval(-1)
            while let next = uncapped.nextRun(after: cursor, runsToday: 0), next < end {
                walked += 1
                cursor = next
            }
            #expect(uncapped.fires(onLocalDayContaining: utc(day)) == walked, "\(cron) on \(day)")
        }
    }

    @Test func warningWhenTheCronFiresMoreThanTheCap() throws {
        let warning = try #require(try schedule("*/5 * * * *").dailyCapWarning)
        #expect(warning == "This fires 288 times a day; only the first 1 will run each day (max_daily_runs). "
                + "For one run a day use a single time such as `0 18 * * *`.")
        let twice = try #require(try schedule("0 */6 * * *", cap: 2).dailyCapWarning)
        #expect(twice.hasPrefix("This fires 4 times a day; only the first 2 will run each day (max_daily_runs)."))
        #expect(twice.contains("`0 6,18 * * *`"))
        // A weekday schedule keeps its days in the suggestion and says the count is per day it runs.
        let weekdays = try #require(try schedule("*/10 * * * 1-5").dailyCapWarning)
        #expect(weekdays.hasPrefix("This fires 144 times on each day it runs;"))
        #expect(weekdays.contains("`0 18 * * 1-5`"))
    }

    @Test func noWarningWhenEveryFiringCanRun() throws {
        #expect(try schedule("0 18 * * *").dailyCapWarning == nil)
        #expect(try schedule("0 6,18 * * *", cap: 2).dailyCapWarning == nil)
        #expect(try schedule("0 18 * * *", cap: 2).dailyCapWarning == nil)
        #expect(try schedule("30 1 1 * *").dailyCapWarning == nil)
    }

    @Test func everyDayMeansEveryCalendarDay() throws {
        #expect(try CronExpression("0 18 * * *").runsEveryDay)
        #expect(try CronExpression("0 18 1-31 * *").runsEveryDay)
        #expect(try CronExpression("0 18 * * 0-6").runsEveryDay)
        #expect(try CronExpression("0 18 1 * 0-6").runsEveryDay)  // either day field matching is enough
        #expect(!(try CronExpression("0 18 */2 * *").runsEveryDay))
        #expect(!(try CronExpression("0 18 * 1-6 *").runsEveryDay))
        #expect(!(try CronExpression("0 18 * * SAT,SUN").runsEveryDay))
    }
}
