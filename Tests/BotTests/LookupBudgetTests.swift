import Bot
import Discord
import Domain
import Foundation
import Services
import Testing
import TestSupport

/// One member cannot starve the clan's hiscores budget: lookups have a per-user cooldown, and a player looked up
/// in the last minute is served from the stored snapshot.
@Suite struct LookupBudgetTests {
    @Test func twoUsersSpammingPlayerLookupsCostOneLookup() async throws {
        let bot = try BotHarness(limits: CommandLimits(snapshotRunInterval: 0, lookupInterval: 20))
        try await bot.seedClan()
        let first = try await bot.command("snapshot player", ["rsn": "Mem Ber"], as: .member)
        #expect(first.lastText.contains("📜 Mem Ber"))
        let spent = bot.hiscores.requests.count
        #expect(spent >= 1)

        for _ in 0..<5 {
            let again = try await bot.command("snapshot player", ["rsn": "Lead Guy"], as: .member)
            #expect(again.lastIsEphemeral)
            #expect(again.lastText.contains("⏳ You can look up a player again <t:"))
        }
        // Someone else asking for the same player within the minute gets the stored snapshot.
        let other = try await bot.command("snapshot player", ["rsn": "mem ber"], as: .officer)
        #expect(other.lastText.contains("📜 Mem Ber"))
        #expect(other.lastText.contains("looked up less than a minute ago"))
        for _ in 0..<5 {
            let again = try await bot.command("snapshot player", ["rsn": "Offi Sir"], as: .officer)
            #expect(again.lastText.contains("⏳"))
        }
        #expect(bot.hiscores.requests.count == spent)

        // After the cooldown the first user may ask again: a new name costs requests, a fresh one does not.
        bot.botClockOffset.withLock { $0 = 21 }
        let fresh = try await bot.command("snapshot player", ["rsn": "Mem Ber"], as: .member)
        #expect(fresh.lastText.contains("looked up less than a minute ago"))
        #expect(bot.hiscores.requests.count == spent)
        bot.botClockOffset.withLock { $0 = 42 }
        let new = try await bot.command("snapshot player", ["rsn": "Lead Guy"], as: .member)
        #expect(new.lastText.contains("📜 Lead Guy") && !new.lastText.contains("less than a minute ago"))
        #expect(bot.hiscores.requests.count > spent)
    }

    @Test func runsAndLookupsAreLimitedByDefault() {
        #expect(CommandLimits.standard.lookupInterval == 20)
        #expect(CommandLimits.standard.snapshotRunInterval == 600)
        #expect(SnapshotService.freshFor == 60)
    }
}
