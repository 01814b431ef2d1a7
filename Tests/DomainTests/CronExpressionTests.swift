import Foundation
import Testing
@testable import Domain

@Suite struct CronExpressionTests {
    @Test func parsesListsRangesStepsAndNames() throws {
        let cron = try CronExpression("0,30 9-17/4 * jan-Mar MON-FRI")
        #expect(cron.minuteList == [0, 30])
        #expect(cron.hourList == [9, 13, 17])
        #expect(cron.matchesDay(month: 2, day: 10, weekday: 2))
        #expect(!cron.matchesDay(month: 4, day: 10, weekday: 2))
        #expect(!cron.matchesDay(month: 2, day: 10, weekday: 0))
    }

    @Test func stepFromAValueRunsToTheEndOfTheField() throws {
        let cron = try CronExpression("5/20 * * * *")
        #expect(cron.minuteList == [5, 25, 45])
    }

    @Test func sevenIsSundayToo() throws {
        let cron = try CronExpression("0 0 * * 7")
        #expect(cron.matchesDay(month: 1, day: 4, weekday: 0))
        #expect(!cron.matchesDay(month: 1, day: 5, weekday: 1))
    }

    @Test func bothDayFieldsRestrictedMeansEitherMatches() throws {
        let cron = try CronExpression("0 9 1 * MON")
        #expect(cron.matchesDay(month: 6, day: 1, weekday: 3))   // the 1st, a Wednesday
        #expect(cron.matchesDay(month: 6, day: 8, weekday: 1))   // a Monday, not the 1st
        #expect(!cron.matchesDay(month: 6, day: 9, weekday: 2))
    }

    @Test func oneDayFieldStarredMeansBothMustMatch() throws {
        let cron = try CronExpression("0 9 */2 * *")
        #expect(cron.matchesDay(month: 6, day: 3, weekday: 3))
        #expect(!cron.matchesDay(month: 6, day: 4, weekday: 4))
    }

    @Test(arguments: [
        ("61 * * * *", CronField.minute),
        ("* 24 * * *", .hour),
        ("* * 0 * *", .dayOfMonth),
        ("* * * 13 *", .month),
        ("* * * FOO *", .month),
        ("* * * * 8", .dayOfWeek),
        ("* * * * MON-", .dayOfWeek),
        ("5-1 * * * *", .minute),
        ("*/0 * * * *", .minute),
        ("1,,2 * * * *", .minute),
        ("0 0 30 2 *", .dayOfMonth),
        ("0 0 31 4,6,9,11 *", .dayOfMonth),
    ])
    func badFieldsAreNamed(expression: String, field: CronField) {
        #expect {
            try CronExpression(expression)
        } throws: { error in
            guard let error = error as? CronParseError else { return false }
            return error.field == field && error.description.contains(field.rawValue)
        }
    }

    @Test func wrongFieldCountIsExplained() {
        #expect {
            try CronExpression("* * * *")
        } throws: { error in
            (error as? CronParseError)?.description.contains("5 fields") == true
        }
    }

    @Test func thirtiethOfFebruaryIsAllowedWhenAWeekdayCanStillMatch() throws {
        // Both day fields restricted: runs on Mondays in February, never on the 30th.
        _ = try CronExpression("0 0 30 2 MON")
    }
}
