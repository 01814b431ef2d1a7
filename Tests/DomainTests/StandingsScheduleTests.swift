@testable import Domain
import Foundation
import Testing

/// When scheduled standings are posted: slots every 24, 12 or 6 hours from a local time of day, the latest slot only,
/// within the contest's run.
@Suite struct StandingsScheduleTests {
    let utcZone = TimeZone(identifier: "UTC")!

    @Test func parsesTheOptionsAndRefusesOthers() throws {
        #expect(try StandingsSchedule.parse(every: "off", at: nil) == nil)
        #expect(try StandingsSchedule.parse(every: "daily", at: nil) == StandingsSchedule(every: .daily, minuteOfDay: 18 * 60))
        #expect(try StandingsSchedule.parse(every: "6h", at: "7:30") == StandingsSchedule(every: .sixHours, minuteOfDay: 7 * 60 + 30))
        #expect(try StandingsSchedule.parse(every: "12H", at: " 00:05 ")?.timeOfDay == "00:05")
        #expect(throws: StandingsSchedule.ParseError.every("hourly")) { try StandingsSchedule.parse(every: "hourly", at: nil) }
        #expect(throws: StandingsSchedule.ParseError.at("24:00")) { try StandingsSchedule.parse(every: "daily", at: "24:00") }
        #expect(throws: StandingsSchedule.ParseError.at("6pm")) { try StandingsSchedule.parse(every: "daily", at: "6pm") }
        #expect(StandingsSchedule(every: .sixHours, minuteOfDay: 18 * 60).summary == "every 6 hours from 18:00")
        #expect(StandingsSchedule(every: .daily, minuteOfDay: 9 * 60 + 5).summary == "daily at 09:05")
    }

    @Test func everySixHoursFromSixPmPostsFourTimesADay() {
        let schedule = StandingsSchedule(every: .sixHours, minuteOfDay: 18 * 60)
        #expect(schedule.latestSlot(atOrBefore: utc("2026-06-30T05:59:59Z"), timeZone: utcZone) == utc("2026-06-30T00:00:00Z"))
        #expect(schedule.latestSlot(atOrBefore: utc("2026-06-30T06:00:00Z"), timeZone: utcZone) == utc("2026-06-30T06:00:00Z"))
        #expect(schedule.nextSlot(after: utc("2026-06-30T06:00:00Z"), timeZone: utcZone) == utc("2026-06-30T12:00:00Z"))
        #expect(schedule.nextSlot(after: utc("2026-06-30T18:00:00Z"), timeZone: utcZone) == utc("2026-07-01T00:00:00Z"))
    }

    @Test func aDailyPostKeepsItsLocalTimeAcrossDaylightSaving() throws {
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let schedule = StandingsSchedule(every: .daily, minuteOfDay: 18 * 60)
        // 18:00 in Paris is 17:00Z before the change of 29 March 2026 and 16:00Z after it.
        #expect(schedule.nextSlot(after: utc("2026-03-28T12:00:00Z"), timeZone: paris) == utc("2026-03-28T17:00:00Z"))
        #expect(schedule.nextSlot(after: utc("2026-03-28T17:00:00Z"), timeZone: paris) == utc("2026-03-29T16:00:00Z"))
        #expect(schedule.latestSlot(atOrBefore: utc("2026-03-29T15:59:59Z"), timeZone: paris) == utc("2026-03-28T17:00:00Z"))
    }

    @Test func onlySlotsWithinTheContestsRunAreDue() {
        let schedule = StandingsSchedule(every: .twelveHours, minuteOfDay: 6 * 60)
        let start = utc("2026-06-30T08:00:00Z")
        let end = utc("2026-07-01T18:00:00Z")
        let due = { (now: String) in schedule.due(startAt: start, activatedAt: start, endAt: end, now: utc(now), timeZone: utcZone) }
        #expect(due("2026-06-30T09:00:00Z") == nil, "the 06:00 slot came before the start")
        #expect(due("2026-06-30T18:00:00Z") == utc("2026-06-30T18:00:00Z"))
        #expect(due("2026-07-01T05:59:00Z") == utc("2026-06-30T18:00:00Z"))
        #expect(due("2026-07-01T17:59:00Z") == utc("2026-07-01T06:00:00Z"))
        #expect(due("2026-07-01T18:00:00Z") == nil, "the slot at the end is the final ranking's, not a standings post")
        // Activated after its start: slots before the activation are not posted.
        #expect(schedule.due(startAt: start, activatedAt: utc("2026-06-30T19:00:00Z"), endAt: end, now: utc("2026-06-30T20:00:00Z"), timeZone: utcZone) == nil)
    }
}
