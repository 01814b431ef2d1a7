import Bot
import Discord
import Domain
import Foundation
import Services
import Testing
import TestSupport

/// A lifecycle command whose work is already done answers with the contest's state, not a warning.
@Suite struct ContestRepeatTests {
    @Test func endingAContestTheLoopAlreadyEndedShowsItsLockedEntries() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        _ = try await bot.command("snapshot run", as: .leader)
        let end = Date() + 3600
        _ = try await bot.command("contest create", ["name": "Summer XP", "start": "now", "end": end.formatted(.iso8601), "randomness": "none"],
                                  as: .officer)
        let contests = bot.environment.contests
        let contest = try #require(try await contests.list(clanID: clan.id).first)
        _ = try await bot.command("contest rule", ["contest": String(contest.id), "type": "total_xp", "threshold": 1], as: .officer)
        _ = try await bot.command("contest activate", ["contest": String(contest.id)], as: .officer)

        // Activating again says it is active, with its commitment.
        let reactivated = try await bot.command("contest activate", ["contest": String(contest.id)], as: .officer)
        #expect(!reactivated.lastText.contains("⚠️") && !reactivated.lastIsEphemeral)
        #expect(reactivated.lastText.contains("**Summer XP** is already active"))
        #expect(reactivated.lastText.contains("SHA-256(secret) `"))

        bot.grow(BotHarness.core, by: 1.2)
        _ = try await bot.command("snapshot run", as: .leader)
        bot.contestClockOffset.withLock { $0 = 7200 }
        let auto = try await contests.endDue()
        #expect(auto.count == 1)
        let ended = try await contests.detail(contestID: contest.id).contest
        let digest = try #require(ended.entries?.digest)
        let endedAt = try #require(ended.endedAt)

        let typed = try await bot.command("contest end", ["contest": String(contest.id)], as: .officer)
        #expect(!typed.lastText.contains("⚠️") && !typed.lastIsEphemeral)
        #expect(!typed.allText.contains("Cannot end"))
        #expect(typed.lastText.contains("**Summer XP** already ended <t:\(Int64(endedAt.timeIntervalSince1970)):f>"))
        #expect(typed.lastText.contains("3 tickets locked"))
        #expect(typed.lastText.contains(digest))
        #expect(Exchange.customIDs(typed.last) == ["contest.draw|\(clan.id)|\(contest.id)"])

        // Once drawn, activating or ending again still answers with the state; a cancelled contest's cancel too.
        _ = try await bot.command("contest draw", ["contest": String(contest.id)], as: .leader)
        let endAfterDraw = try await bot.command("contest end", ["contest": String(contest.id)], as: .officer)
        #expect(endAfterDraw.lastText.contains("already ended") && !endAfterDraw.lastText.contains("⚠️"))

        _ = try await bot.command("contest create", ["name": "Other", "start": "now", "end": end.formatted(.iso8601)], as: .officer)
        let other = try #require(try await contests.list(clanID: clan.id).first { $0.name == "Other" })
        _ = try await bot.command("contest cancel", ["contest": String(other.id), "reason": "typo"], as: .leader)
        let cancelledAgain = try await bot.command("contest cancel", ["contest": String(other.id), "reason": "typo"], as: .leader)
        #expect(cancelledAgain.lastText.contains("**Other** was already cancelled") && cancelledAgain.lastText.contains("typo"))
        #expect(!cancelledAgain.lastText.contains("⚠️"))
    }
}
