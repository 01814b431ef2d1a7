import Bot
import Domain
import Foundation
import Testing
import TestSupport

/// `/schedule set` with a cron that fires more often than max_daily_runs: accepted, with a plain warning.
@Suite struct ScheduleCommandTests {
    @Test func aCronFiringMoreOftenThanTheCapIsSavedWithAWarning() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        let set = try await bot.command("schedule set", ["cron": "*/5 * * * *", "max_daily_runs": 1], as: .officer)
        #expect(set.lastText.contains("Schedule saved"))
        #expect(!set.lastIsEphemeral)
        #expect(set.lastText.contains("This fires 288 times a day; only the first 1 will run each day (max_daily_runs). "
                                      + "For one run a day use a single time such as `0 18 * * *`."))
        // Accepted all the same: stored, enabled, with its next run.
        let stored = try #require(try await bot.services.schedules.schedule(clanID: clan.id))
        #expect(stored.cron == "*/5 * * * *")
        #expect(stored.enabled && stored.nextRunAt != nil)
        // `show` keeps saying it while the schedule is like that.
        let show = try await bot.command("schedule show", as: .member)
        #expect(show.lastText.contains("This fires 288 times a day"))

        let twice = try await bot.command("schedule set", ["cron": "0 */6 * * 1-5", "max_daily_runs": 2], as: .officer)
        #expect(twice.lastText.contains("This fires 4 times on each day it runs; only the first 2 will run each day (max_daily_runs). "
                                        + "For two runs a day use two times such as `0 6,18 * * 1-5`."))
    }

    @Test func noWarningWhenEveryFiringRuns() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        for (cron, cap) in [("0 18 * * *", 1), ("0 6,18 * * *", 2), ("0 18 * * 1-5", 2)] {
            let set = try await bot.command("schedule set", ["cron": cron, "max_daily_runs": cap], as: .officer)
            #expect(set.lastText.contains("Schedule saved"), "\(cron)")
            #expect(!set.allText.contains("This fires"), "\(cron)")
        }
        let refused = try await bot.command("schedule set", ["cron": "*/5 * * * *", "max_daily_runs": 3], as: .officer)
        #expect(refused.lastIsEphemeral)
        #expect(refused.lastText.contains("at most 2 times a day"))
        #expect(!refused.lastText.contains("This fires"))
    }
}
