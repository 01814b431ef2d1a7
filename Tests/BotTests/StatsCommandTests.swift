import Bot
import Discord
import Domain
import Foundation
import Services
import Testing
import TestSupport

/// Stats, leaderboards and gains over two real batches: the second after everyone's xp grew.
@Suite struct StatsCommandTests {
    static func clanWithGains(extra: [String] = []) async throws -> (BotHarness, Clan) {
        let bot = try BotHarness()
        let clan = try await bot.seedClan(extraMembers: extra)
        _ = try await bot.command("snapshot run", as: .leader)
        bot.grow(BotHarness.core + extra, by: 1.5)
        _ = try await bot.command("snapshot run", as: .leader)
        return (bot, clan)
    }

    @Test func statsShowTotalsTopPerformersAndSkills() async throws {
        let (bot, _) = try await Self.clanWithGains()
        let stats = try await bot.command("stats", ["timeframe": "7d"], as: .member)
        #expect(stats.callbackType == 5)
        let text = stats.lastText
        #expect(text.contains("📊 Iron Legion · last 7 days"))
        #expect(text.contains("3/3 members with data"))
        #expect(text.contains("Top performers"))
        #expect(text.contains("🥇 **"))
        #expect(text.contains("Skills"))
        #expect(text.contains(" xp · **"))

        let custom = try await bot.command("stats", ["timeframe": "custom", "start": "2026-01-01"], as: .member)
        #expect(custom.lastText.contains("needs both `start` and `end`"))
        let bad = try await bot.command("stats", ["start": "yesterday", "end": "2026-01-02"], as: .member)
        #expect(bad.lastText.contains("'yesterday' is not a date"))
    }

    @Test func gainsOfOneMemberAndOfSomeoneUnknown() async throws {
        let (bot, _) = try await Self.clanWithGains()
        let gains = try await bot.command("gains", ["rsn": "mem ber"], as: .outsider)
        #expect(gains.lastText.contains("📈 Mem Ber · last 7 days"))
        #expect(gains.lastText.contains(" xp · **+"))
        let unknown = try await bot.command("gains", ["rsn": "Zezima"], as: .outsider)
        #expect(unknown.lastIsEphemeral)
        #expect(unknown.lastText.contains("Zezima is not a member of Iron Legion"))
    }

    @Test func gainsWithASingleSnapshotSayWhatIsMissing() async throws {
        let bot = try BotHarness()
        _ = try await bot.seedClan()
        _ = try await bot.command("snapshot run", as: .leader)
        let gains = try await bot.command("gains", ["rsn": "mem ber"], as: .member)
        #expect(gains.lastText.contains("Only one snapshot of Mem Ber in "))
        #expect(gains.lastText.contains("gains show from the next one"))
        #expect(gains.lastText.contains("`/snapshot run`"))
    }

    @Test func aLongLeaderboardIsPagedWithButtons() async throws {
        let extra = (1...30).map { "Raider \($0)" }
        let (bot, clan) = try await Self.clanWithGains(extra: extra)
        let first = try await bot.command("leaderboard", ["metric": "skill_xp", "skill": "Attack"], as: .member)
        #expect(first.callbackType == 5)
        #expect(first.lastText.contains("🏆 Attack XP gained · last 7 days"))
        #expect(first.lastText.contains("page 1/2"))
        #expect(first.lastText.contains("🥇"))
        let ids = Exchange.customIDs(first.last)
        #expect(ids.count == 3)
        let next = try #require(ids.last)
        #expect(next == "lb.page|\(clan.id)|skill_xp|Attack|7d|1")

        let second = try await bot.press(next, as: .outsider)
        #expect(second.callbackType == 7)
        #expect(second.lastText.contains("page 2/2"))
        #expect(second.lastText.contains("`#21`"))
        #expect(!second.lastText.contains("🥇"))

        let all = first.lastText + second.lastText
        for name in BotHarness.core + extra { #expect(all.contains("**\(name)**")) }
    }

    @Test func leaderboardInputsAreCheckedWithHelpfulMessages() async throws {
        let (bot, _) = try await Self.clanWithGains()
        let noSkill = try await bot.command("leaderboard", ["metric": "skill_xp"], as: .member)
        #expect(noSkill.lastText.contains("needs a skill"))
        let badTier = try await bot.command("leaderboard", ["metric": "clues", "tier": "legendary"], as: .member)
        #expect(badTier.lastText.contains("Unknown clue tier 'legendary'"))
        let total = try await bot.command("leaderboard", ["metric": "xp_gained", "timeframe": "30d"], as: .member)
        #expect(total.lastText.contains("🏆 XP gained · last 30 days"))
        #expect(Exchange.customIDs(total.last).isEmpty)
    }

    @Test func scheduleSetAndShowWithNextRunAndPermissions() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let none = try await bot.command("schedule show", as: .member)
        #expect(none.lastText.contains("has no snapshot schedule"))
        let refused = try await bot.command("schedule set", ["cron": "0 6 * * *"], as: .member)
        #expect(refused.lastText.contains("change the snapshot schedule"))
        let badCron = try await bot.command("schedule set", ["cron": "99 6 * * *"], as: .officer)
        #expect(badCron.lastIsEphemeral)
        let set = try await bot.command("schedule set", ["cron": "0 6 * * *", "max_daily_runs": 2], as: .officer)
        #expect(set.lastText.contains("Schedule saved"))
        #expect(set.lastText.contains("at most 2"))
        let show = try await bot.command("schedule show", as: .member)
        #expect(show.lastText.contains("`0 6 * * *` (UTC)"))
        #expect(show.lastText.contains(":f> (<t:"))
        #expect(show.lastText.contains("never ran"))
    }
}
