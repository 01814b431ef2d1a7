import Domain
import Foundation
import Testing

/// Which contest reminder is due when: 24 h and 1 h before the end, only those ahead at activation, the latest only.
@Suite struct ContestReminderTests {
    let end = utc("2026-06-30T18:00:00Z")

    @Test func aContestActivatedDaysAheadGetsBothRemindersEachFromItsTime() {
        let activated = utc("2026-06-23T18:00:00Z")
        #expect(ContestReminder.planned(activatedAt: activated, endAt: end) == [.dayBefore, .hourBefore])
        #expect(ContestReminder.due(activatedAt: activated, endAt: end, now: utc("2026-06-29T17:59:59Z")) == nil)
        #expect(ContestReminder.due(activatedAt: activated, endAt: end, now: utc("2026-06-29T18:00:00Z")) == .dayBefore)
        #expect(ContestReminder.due(activatedAt: activated, endAt: end, now: utc("2026-06-30T16:59:59Z")) == .dayBefore)
        #expect(ContestReminder.due(activatedAt: activated, endAt: end, now: utc("2026-06-30T17:00:00Z")) == .hourBefore)
        #expect(ContestReminder.due(activatedAt: activated, endAt: end, now: end) == nil)
        #expect(ContestReminder.next(activatedAt: activated, endAt: end, after: utc("2026-06-25T00:00:00Z")) == utc("2026-06-29T18:00:00Z"))
        #expect(ContestReminder.next(activatedAt: activated, endAt: end, after: utc("2026-06-29T18:00:00Z")) == utc("2026-06-30T17:00:00Z"))
        #expect(ContestReminder.next(activatedAt: activated, endAt: end, after: utc("2026-06-30T17:00:00Z")) == nil)
    }

    @Test func onlyWhatWasAheadAtActivationIsPlanned() {
        // Twenty hours left when it went live: the 1-hour reminder only; thirty minutes left: none.
        let late = utc("2026-06-29T22:00:00Z")
        #expect(ContestReminder.planned(activatedAt: late, endAt: end) == [.hourBefore])
        #expect(ContestReminder.due(activatedAt: late, endAt: end, now: utc("2026-06-29T23:00:00Z")) == nil)
        #expect(ContestReminder.due(activatedAt: late, endAt: end, now: utc("2026-06-30T17:30:00Z")) == .hourBefore)
        #expect(ContestReminder.planned(activatedAt: utc("2026-06-30T17:30:00Z"), endAt: end).isEmpty)
        // Exactly 24 hours left at activation: the 24-hour reminder is still ahead (due the same moment).
        #expect(ContestReminder.planned(activatedAt: utc("2026-06-29T18:00:00Z"), endAt: end) == [.dayBefore, .hourBefore])
    }
}
