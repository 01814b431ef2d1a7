import Bot
import Domain
import Foundation
import Services
import Testing
import TestSupport

/// `/contest standings` end to end: paged like the leaderboard, the "so far" time is the snapshots', the final
/// ranking once the contest ended.
@Suite struct ContestStandingsTests {
    static let extra = (1...30).map { "Member \($0 < 10 ? "0" : "")\($0)" }

    /// The `<t:…:f>` right after "snapshots of".
    static func soFar(_ text: String) -> Int64? {
        guard let range = text.range(of: "snapshots of <t:") else { return nil }
        return Int64(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// A raffle over 33 members (total xp, 1 ticket) with a baseline and one snapshot since; returns its id and
    /// the bounds of the second run's time.
    static func runningContest(_ bot: BotHarness) async throws -> (id: Int64, run: ClosedRange<Int64>) {
        try await bot.seedClan(extraMembers: extra)
        _ = try await bot.command("snapshot run", as: .leader)
        let end = Date() + 3600
        _ = try await bot.command("contest create", ["name": "Big XP", "start": "now", "end": end.formatted(.iso8601), "randomness": "none"], as: .officer)
        let contest = try #require(try await bot.environment.contests.list(clanID: 1).first)
        _ = try await bot.command("contest rule", ["contest": String(contest.id), "type": "total_xp", "threshold": 1], as: .officer)
        _ = try await bot.command("contest activate", ["contest": String(contest.id)], as: .officer)
        // Only the first ten extra members (and the core three) gain.
        bot.grow(BotHarness.core + extra.prefix(10), by: 1.1)
        let before = Int64(Date().timeIntervalSince1970)
        _ = try await bot.command("snapshot run", as: .leader)
        return (contest.id, before...Int64(Date().timeIntervalSince1970) + 1)
    }

    @Test func standingsArePagedWithTheTimeOfTheSnapshotsUsed() async throws {
        let bot = try BotHarness()
        let (id, run) = try await Self.runningContest(bot)
        // No contest named: the clan's only running contest.
        let first = try await bot.command("contest standings", as: .member)
        let text = first.lastText
        #expect(text.contains("📋 Standings · Big XP"), "\(text)")
        let soFar = try #require(Self.soFar(text))
        #expect(run.contains(soFar), "so far \(soFar) is the second run's time, not the baseline's")
        #expect(text.contains("page 1/3"))
        #expect(text.contains("**Lead Guy** — 1 ticket · 1. done: 1 entry"))
        #expect(text.contains("`#14` **Member 11** — 0 tickets"), "13 gained, so the first without a ticket is 14th")
        let buttons = Exchange.customIDs(first.last)
        #expect(buttons == ["cs.page|1|\(id)|-1", "cs.page|1|\(id)|0|n", "cs.page|1|\(id)|1"])

        let last = try await bot.press("cs.page|1|\(id)|2", as: .member)
        #expect(last.lastText.contains("page 3/3") && last.lastText.contains("Member 30"), "\(last.lastText)")
        #expect(!last.lastText.contains("Lead Guy"))
        #expect(Exchange.customIDs(last.last) == ["cs.page|1|\(id)|1", "cs.page|1|\(id)|2|n", "cs.page|1|\(id)|3"])
        // A page beyond the last shows the last; a forged id is refused.
        #expect(try await bot.press("cs.page|1|\(id)|99", as: .member).lastText.contains("page 3/3"))
        #expect(try await bot.press("cs.page|1|\(id)|x", as: .member).lastIsEphemeral)
    }

    @Test func anEndedContestShowsItsFinalRankingAndADraftNone() async throws {
        let bot = try BotHarness()
        let (id, _) = try await Self.runningContest(bot)
        bot.contestClockOffset.withLock { $0 = 7200 }
        _ = try await bot.command("contest end", ["contest": String(id)], as: .officer)
        let final = try await bot.command("contest standings", as: .member)
        #expect(final.lastText.contains("🏁 Final standings · Big XP"), "\(final.lastText)")
        #expect(final.lastText.contains("measured on snapshots up to <t:"))

        _ = try await bot.command("contest create", ["name": "Later", "start": "now", "end": (Date() + 86_400).formatted(.iso8601)], as: .officer)
        let draft = try await bot.command("contest standings", ["contest": "Later"], as: .member)
        #expect(draft.lastIsEphemeral && draft.lastText.contains("still a draft"))
        let unknown = try await bot.command("contest standings", ["contest": "#999"], as: .member)
        #expect(unknown.lastIsEphemeral && unknown.lastText.contains("no contest #999"))
    }

    @Test func withoutAContestTheClanIsToldWhatToDo() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let none = try await bot.command("contest standings", as: .member)
        #expect(none.lastIsEphemeral && none.lastText.contains("no running or finished contest"))
    }
}
