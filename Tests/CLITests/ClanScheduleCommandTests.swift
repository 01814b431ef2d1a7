import Foundation
import Testing
import TestSupport
@testable import ClanbotCLI

/// `clanbot clan schedule` warns, without refusing, when the cron fires more often than --max-daily-runs.
@Suite struct ClanScheduleCommandTests {
    @Test func aCronFiringMoreOftenThanTheCapPrintsTheWarning() async throws {
        let env = try CLIEnvironment()
        defer { env.close() }
        _ = await env.run(["clan", "create", "Wolves", "--mode", "regular"])
        let often = await env.run(["clan", "schedule", "wolves", "--cron", "*/5 * * * *", "--max-daily-runs", "1"])
        #expect(often.status == 0, "\(often.err)")
        #expect(often.out.contains("Schedule of Wolves: */5 * * * *"))
        #expect(often.out.contains("Warning: This fires 288 times a day; only the first 1 will run each day (max_daily_runs). "
                                   + "For one run a day use a single time such as `0 18 * * *`."))
        let daily = await env.run(["clan", "schedule", "wolves", "--cron", "0 18 * * *"])
        #expect(daily.status == 0, "\(daily.err)")
        #expect(!daily.out.contains("Warning"))
    }
}
