import Bot
import Domain
import Foundation
import Services
import Testing
import TestSupport

/// `/achievements`, `/records`, `/hiscores` and `/player` through the router, against the fake hiscores.
@Suite struct ClanLifeCommandTests {
    /// Two snapshots of the clan: Mem Ber reaches 99 Slayer between them.
    static func clanWithAnAchievement() async throws -> BotHarness {
        let bot = try BotHarness()
        try await bot.seedClan()
        let member = HiscoresFixture.Player.typical(seed: 3)
        bot.hiscores.set("Mem Ber", on: .regular, member.with(skill: "Slayer", xp: 12_000_000))
        for name in BotHarness.core { _ = try await bot.services.snapshots.snapshot(name: name, board: .regular) }
        bot.hiscores.set("Mem Ber", on: .regular, member.with(skill: "Slayer", xp: 13_100_000))
        for name in BotHarness.core { _ = try await bot.services.snapshots.snapshot(name: name, board: .regular) }
        return bot
    }

    @Test func achievementsListTheClansAndOneMembersMilestones() async throws {
        let bot = try await Self.clanWithAnAchievement()
        let clan = try await bot.command("achievements", as: .member)
        #expect(clan.lastText.contains("**Mem Ber** — 99 Slayer"), "\(clan.lastText)")
        #expect(clan.lastText.contains("<t:"))  // Discord timestamps, in the reader's own zone
        let mine = try await bot.command("achievements", ["rsn": "mem ber"], as: .member)
        #expect(mine.lastText.contains("Achievements · Mem Ber") && mine.lastText.contains("99 Slayer"))
        let none = try await bot.command("achievements", ["rsn": "Lead Guy"], as: .member)
        #expect(none.lastText.contains("Lead Guy has no achievements recorded yet"))
        let stranger = try await bot.command("achievements", ["rsn": "Not Here"], as: .member)
        #expect(stranger.lastIsEphemeral && stranger.lastText.contains("not a member"))
    }

    @Test func recordsShowTheBestOfEachPeriodOrOnePeriodInFull() async throws {
        let bot = try await Self.clanWithAnAchievement()
        let all = try await bot.command("records", ["metric": "skill_xp", "skill": "slayer"], as: .member)
        #expect(all.lastText.contains("Records · Slayer XP gained"), "\(all.lastText)")
        for period in ["Best day", "Best week", "Best month"] { #expect(all.lastText.contains(period)) }
        #expect(all.lastText.contains("🥇 **Mem Ber** — 1.1M xp"))
        let week = try await bot.command("records", ["metric": "skill_xp", "skill": "Slayer", "period": "week"], as: .member)
        #expect(week.lastText.contains("best week") && week.lastText.contains("week of <t:"))
        let unknown = try await bot.command("records", ["metric": "boss_kc", "boss": "Nobody Kills This"], as: .member)
        #expect(unknown.lastIsEphemeral && unknown.lastText.contains("No boss called"))
        let missing = try await bot.command("records", ["metric": "skill_xp"], as: .member)
        #expect(missing.lastText.contains("fill in the `skill` option"))
    }

    @Test func hiscoresRankCurrentValuesWithEachSnapshotsTime() async throws {
        let bot = try await Self.clanWithAnAchievement()
        let slayer = try await bot.command("hiscores", ["metric": "skill", "skill": "slayer"], as: .member)
        #expect(slayer.lastText.contains("Clan hiscores · Slayer"), "\(slayer.lastText)")
        let lines = slayer.lastText.split(separator: "\n").map(String.init)
        let first = try #require(lines.first { $0.hasPrefix("🥇") })
        #expect(first.contains("**Mem Ber** — 99 · 13.1M xp") && first.contains("<t:"))
        let total = try await bot.command("hiscores", ["metric": "overall"], as: .member)
        #expect(total.lastText.contains("Clan hiscores · Total level"))
        let missing = try await bot.command("hiscores", ["metric": "boss"], as: .member)
        #expect(missing.lastIsEphemeral && missing.lastText.contains("fill in the `boss` option"))
    }
}
