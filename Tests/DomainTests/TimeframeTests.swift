import Foundation
import Testing
@testable import Domain

@Suite struct TimeframeTests {
    private let london = TimeZone(identifier: "Europe/London") ?? .gmt
    private let newYork = TimeZone(identifier: "America/New_York") ?? .gmt

    @Test func rollingWindowsEndNow() throws {
        let now = utc("2026-11-20T12:00:00Z")
        #expect(try Timeframe.parse("7d", timeZone: london).window(at: now, timeZone: london)
            == TimeWindow(start: utc("2026-11-13T12:00:00Z"), end: now))
        #expect(try Timeframe.parse("30D", timeZone: london).window(at: now, timeZone: london)
            == TimeWindow(start: utc("2026-10-21T12:00:00Z"), end: now))
    }

    @Test func monthToDateStartsAtLocalMidnightOnTheFirst() throws {
        // 1 November 2026 03:00 UTC is still 31 October in New York (23:00 EDT).
        let earlyUTC = utc("2026-11-01T03:00:00Z")
        let window = Timeframe.monthToDate.window(at: earlyUTC, timeZone: newYork)
        #expect(window.start == utc("2026-10-01T04:00:00Z"))  // 1 October 00:00 EDT
        let later = Timeframe.monthToDate.window(at: utc("2026-11-20T12:00:00Z"), timeZone: newYork)
        #expect(later.start == utc("2026-11-01T04:00:00Z"))  // 1 November 00:00 EDT (DST ends later that night)
    }

    @Test func customDatesAreLocalAndTheEndDayIsIncluded() throws {
        let frame = try Timeframe.parse("2026-07-01..2026-07-15", timeZone: london)
        #expect(frame == .custom(start: utc("2026-06-30T23:00:00Z"), end: utc("2026-07-15T23:00:00Z")))
        #expect(frame.key == "custom")
    }

    @Test func customInstantsAreTakenAsWritten() throws {
        let frame = try Timeframe.parse("2026-07-01T10:00:00Z..2026-07-02T10:00:00Z", timeZone: london)
        #expect(frame == .custom(start: utc("2026-07-01T10:00:00Z"), end: utc("2026-07-02T10:00:00Z")))
    }

    @Test(arguments: ["week", "2026-02-30..2026-03-01", "2026-13-01..2026-12-01", "2026-03-05..2026-03-01", "..2026-01-01"])
    func badTimeframesAreExplained(text: String) {
        #expect(throws: TimeframeError.self) { try Timeframe.parse(text, timeZone: london) }
    }
}

@Suite struct RankingTests {
    @Test func tiesShareARankAndTheNextSkips() {
        #expect(Ranking.competitionRanks([90, 80, 80, 70]) == [1, 2, 2, 4])
        #expect(Ranking.competitionRanks([5, 5, 5]) == [1, 1, 1])
        #expect(Ranking.competitionRanks([Int]()) == [])
        #expect(Ranking.competitionRanks([3, 2, 1, 1, 0]) == [1, 2, 3, 3, 5])
    }
}
