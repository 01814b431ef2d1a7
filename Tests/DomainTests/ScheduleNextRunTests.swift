import Foundation
import Testing
@testable import Domain

@Suite struct ScheduleNextRunTests {
    func schedule(_ cron: String, _ zone: String, cap: Int = 2) throws -> Schedule {
        try Schedule(cron: cron, timeZoneIdentifier: zone, maxDailyRuns: cap)
    }

    @Test func dailyRunInTheClansTimeZone() throws {
        let daily = try schedule("0 18 * * *", "America/New_York")
        // 18:00 EST = 23:00 UTC in January.
        #expect(daily.nextRun(after: utc("2026-01-10T12:00:00Z"), runsToday: 0) == utc("2026-01-10T23:00:00Z"))
        #expect(daily.nextRun(after: utc("2026-01-10T23:00:00Z"), runsToday: 1) == utc("2026-01-11T23:00:00Z"))
    }

    @Test func thirtyFirstRunsOnlyInLongMonths() throws {
        let monthly = try schedule("0 12 31 * *", "UTC")
        let afterJanuary = monthly.nextRun(after: utc("2026-01-31T13:00:00Z"), runsToday: 0)
        #expect(afterJanuary == utc("2026-03-31T12:00:00Z"))
        #expect(monthly.nextRun(after: utc("2026-03-31T12:00:00Z"), runsToday: 0) == utc("2026-05-31T12:00:00Z"))
    }

    @Test func leapDayWaitsForTheNextLeapYear() throws {
        let leap = try schedule("0 0 29 2 *", "UTC")
        #expect(leap.nextRun(after: utc("2026-01-01T00:00:00Z"), runsToday: 0) == utc("2028-02-29T00:00:00Z"))
    }

    @Test func lastDayOfDecemberRollsIntoTheNewYear() throws {
        let cron = try schedule("30 23 * * *", "Europe/London")
        #expect(cron.nextRun(after: utc("2026-12-31T23:30:00Z"), runsToday: 1) == utc("2027-01-01T23:30:00Z"))
    }

    @Test func londonSpringForwardRunsAtTheNextValidTime() throws {
        // 29 March 2026: 01:00 GMT jumps to 02:00 BST; 01:30 never shows on the clock.
        let cron = try schedule("30 1 * * *", "Europe/London")
        let skipped = cron.nextRun(after: utc("2026-03-28T12:00:00Z"), runsToday: 0)
        #expect(skipped == utc("2026-03-29T01:00:00Z"))  // 02:00 BST
        #expect(cron.nextRun(after: utc("2026-03-29T01:00:00Z"), runsToday: 1) == utc("2026-03-30T00:30:00Z"))
    }

    @Test func londonFallBackRunsTheRepeatedHourOnce() throws {
        // 25 October 2026: 02:00 BST falls back to 01:00 GMT; 01:30 shows twice.
        let cron = try schedule("30 1 * * *", "Europe/London")
        let first = cron.nextRun(after: utc("2026-10-24T12:00:00Z"), runsToday: 0)
        #expect(first == utc("2026-10-25T00:30:00Z"))  // 01:30 BST
        // Asked again during the repeated hour, it waits for the next day.
        #expect(cron.nextRun(after: utc("2026-10-25T00:30:00Z"), runsToday: 0) == utc("2026-10-26T01:30:00Z"))
    }

    @Test func newYorkSpringForwardAndFallBack() throws {
        let cron = try schedule("30 2 * * *", "America/New_York")
        // 8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
        #expect(cron.nextRun(after: utc("2026-03-07T12:00:00Z"), runsToday: 0) == utc("2026-03-08T07:00:00Z"))
        #expect(cron.nextRun(after: utc("2026-03-08T07:00:00Z"), runsToday: 1) == utc("2026-03-09T06:30:00Z"))
        let early = try schedule("30 1 * * *", "America/New_York")
        // 1 November 2026: 02:00 EDT falls back to 01:00 EST; 01:30 EDT = 05:30 UTC comes first.
        #expect(early.nextRun(after: utc("2026-10-31T12:00:00Z"), runsToday: 0) == utc("2026-11-01T05:30:00Z"))
        #expect(early.nextRun(after: utc("2026-11-01T05:30:00Z"), runsToday: 1) == utc("2026-11-02T06:30:00Z"))
    }

    @Test func frequentRunsSkipTheSecondPassOfARepeatedHour() throws {
        // Every 15 minutes in London on 25 October 2026: after 01:45 BST the clock shows 01:00–01:59
        // again (GMT); those times already ran, so the next run is 02:00 GMT.
        let often = try schedule("*/15 * * * *", "Europe/London")
        #expect(often.nextRun(after: utc("2026-10-25T00:45:00Z"), runsToday: 0) == utc("2026-10-25T02:00:00Z"))
        // Spring forward: 00:45 GMT is followed by 02:00 BST (01:00 UTC), the skipped times folding into it.
        #expect(often.nextRun(after: utc("2026-03-29T00:45:00Z"), runsToday: 0) == utc("2026-03-29T01:00:00Z"))
        #expect(often.nextRun(after: utc("2026-03-29T01:00:00Z"), runsToday: 0) == utc("2026-03-29T01:15:00Z"))
    }

    @Test func twoTimesADayWithACapOfOneRunsOnlyTheFirst() throws {
        let twice = try schedule("0 6,18 * * *", "UTC", cap: 1)
        #expect(twice.nextRun(after: utc("2026-05-01T06:00:00Z"), runsToday: 1) == utc("2026-05-02T06:00:00Z"))
        #expect(twice.nextRun(after: utc("2026-05-01T06:00:00Z"), runsToday: 0) == utc("2026-05-01T18:00:00Z"))
    }

    @Test func weekdayNamesAndLastDayOfFebruaryInALeapYear() throws {
        let weekdays = try schedule("30 7 * * MON-FRI", "America/New_York")
        // Friday 6 March 2026 07:30 EST → Monday 9 March 07:30 EDT (DST began on the 8th).
        #expect(weekdays.nextRun(after: utc("2026-03-06T12:31:00Z"), runsToday: 1) == utc("2026-03-09T11:30:00Z"))
        let lastOfFebruary = try schedule("0 12 28,29 2 *", "UTC")
        #expect(lastOfFebruary.nextRun(after: utc("2028-02-28T12:00:00Z"), runsToday: 1) == utc("2028-02-29T12:00:00Z"))
        #expect(lastOfFebruary.nextRun(after: utc("2027-02-28T12:00:00Z"), runsToday: 1) == utc("2028-02-28T12:00:00Z"))
    }

    @Test func dailyCapSkipsTheRestOfTheLocalDay() throws {
        let often = try schedule("0 */6 * * *", "Europe/London", cap: 2)
        let afterSecondRun = utc("2026-01-05T06:00:00Z")
        #expect(often.nextRun(after: afterSecondRun, runsToday: 1) == utc("2026-01-05T12:00:00Z"))
        #expect(often.nextRun(after: afterSecondRun, runsToday: 2) == utc("2026-01-06T00:00:00Z"))
        let once = try schedule("0 */6 * * *", "Europe/London", cap: 1)
        #expect(once.nextRun(after: utc("2026-01-05T00:00:00Z"), runsToday: 1) == utc("2026-01-06T00:00:00Z"))
    }

    @Test func dailyCapCountsTheClansDayNotUTC() throws {
        // In New York, 03:00 UTC on 6 January is still 5 January (22:00 EST).
        let often = try schedule("0 */3 * * *", "America/New_York", cap: 2)
        #expect(often.nextRun(after: utc("2026-01-06T03:00:00Z"), runsToday: 2) == utc("2026-01-06T05:00:00Z"))
    }

    @Test func startOfLocalDayFollowsTheZone() throws {
        let cron = try schedule("0 0 * * *", "America/New_York")
        #expect(cron.startOfLocalDay(containing: utc("2026-01-06T03:00:00Z")) == utc("2026-01-05T05:00:00Z"))
    }

    @Test func capAboveTwoIsRefusedWithAReason() {
        #expect(throws: ScheduleError.dailyRunsAboveCap(3)) {
            try Schedule(cron: "0 * * * *", timeZoneIdentifier: "UTC", maxDailyRuns: 3)
        }
        #expect(ScheduleError.dailyRunsAboveCap(3).description.contains("at most 2"))
        #expect(throws: ScheduleError.dailyRunsTooFew(0)) {
            try Schedule(cron: "0 * * * *", timeZoneIdentifier: "UTC", maxDailyRuns: 0)
        }
    }

    @Test func unknownZoneAndBadCronAreRefused() {
        #expect(throws: ScheduleError.unknownTimeZone("Mars/Olympus")) {
            try Schedule(cron: "0 * * * *", timeZoneIdentifier: "Mars/Olympus", maxDailyRuns: 1)
        }
        #expect {
            try Schedule(cron: "0 25 * * *", timeZoneIdentifier: "UTC", maxDailyRuns: 1)
        } throws: { error in
            if case .cron(let cause) = error as? ScheduleError { return cause.field == .hour }
            return false
        }
    }
}
