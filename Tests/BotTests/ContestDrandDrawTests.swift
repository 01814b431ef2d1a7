import Bot
import Domain
import Foundation
import Services
import Testing
import TestSupport

/// A contest drawn with a drand round, end to end through the bot and the fake relay: too early, a tampered
/// answer refused with nothing stored, then the good round drawn with its randomness and the recipe.
@Suite struct ContestDrandDrawTests {
    @Test func drawsWithThePublishedRoundAndRefusesTooEarlyAndTamperedAnswers() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        let contests = bot.environment.contests
        _ = try await bot.command("snapshot run", as: .leader)

        let created = try await bot.command("contest create", [
            "name": "Beacon Week", "start": "now", "end": (Date() + 3600).formatted(.iso8601), "randomness": "drand",
        ], as: .officer)
        #expect(created.lastText.contains("Draft **Beacon Week** created"))
        let contest = try #require(try await contests.list(clanID: clan.id).first)
        _ = try await bot.command("contest rule", ["contest": String(contest.id), "type": "total_xp", "threshold": 1], as: .officer)
        let activated = try await bot.command("contest activate", ["contest": "Beacon Week"], as: .officer)
        #expect(activated.lastText.contains("is active"))
        let commitment = try #require(try await contests.detail(contestID: contest.id).contest.commitment)
        guard case .drandQuicknet(let round) = commitment.randomness else {
            Issue.record("a drand contest committed to \(commitment.randomness)")
            return
        }
        // The round is the first after the end plus the margin, as activation promised.
        let publishedAt = DrandQuicknet.publicationTime(ofRound: round)
        #expect(publishedAt > contest.endAt)

        bot.grow(BotHarness.core, by: 1.2)
        _ = try await bot.command("snapshot run", as: .leader)

        // Ended, but the round is ~15 minutes away: "too early" with Discord timestamps, and the relay is not asked.
        bot.contestClockOffset.withLock { $0 = 3700 }
        let ended = try await bot.command("contest end", ["contest": String(contest.id)], as: .officer)
        #expect(ended.lastText.contains("**N = 3** tickets"))
        // clanbot-draw-v2: the lock publishes the secret with the entries, and how anyone computes the winners at t(R).
        let lock = try #require(try await contests.detail(contestID: contest.id).lock)
        let secret = try #require(lock.secret)
        let command = try #require(lock.verifyCommand)
        #expect(lock.scheme == "clanbot-draw-v2")
        #expect(ended.allText.contains("the secret are published"))
        #expect(ended.allText.contains("Secret (published when the entries locked)") && ended.allText.contains(secret))
        #expect(ended.allText.contains("Compute the winners yourself") && ended.allText.contains(command))
        let entries = try await bot.command("contest entries", ["contest": String(contest.id)], as: .member)
        #expect(entries.lastText.contains(secret) && entries.lastText.contains(command))
        #expect(entries.files.map(\.filename) == ["entries.txt", "lock.json"])
        let lockJSON = try #require(entries.files.last?.data)
        #expect(try JSONDecoder().decode(DrawLockRecord.self, from: lockJSON) == lock)
        let early = try await bot.command("contest draw", ["contest": String(contest.id)], as: .leader)
        let seconds = Int64(publishedAt.timeIntervalSince1970.rounded(.down))
        #expect(early.lastText.contains("⏳ Too early: this contest draws with drand round \(round), which is published <t:\(seconds):R> (<t:\(seconds):f>)"))
        #expect(bot.drand.requestedRounds.isEmpty)
        #expect(try await contests.detail(contestID: contest.id).draw == nil)

        // After the round: a relay answer whose randomness is not SHA-256 of its signature is refused, nothing stored.
        bot.contestClockOffset.withLock { $0 = 7200 }
        bot.drand.tamper(round: round, randomness: String(repeating: "ab", count: 32))
        let tampered = try await bot.command("contest draw", ["contest": String(contest.id)], as: .leader)
        #expect(tampered.allText.contains("round \(round) was refused and nothing was stored"))
        #expect(!tampered.allText.contains("The draw is done"))
        #expect(bot.drand.requestedRounds == [round])
        let afterTamper = try await contests.detail(contestID: contest.id)
        #expect(afterTamper.status == .ended)
        #expect(afterTamper.draw == nil)
        // Round R is out and the secret public: the winners are fixed, so the leader cannot veto them by cancelling.
        let veto = try await bot.command("contest cancel", ["contest": String(contest.id), "reason": "I do not like the winner"], as: .leader)
        #expect(veto.allText.contains("can no longer be cancelled"))
        #expect(try await contests.detail(contestID: contest.id).status == .ended)

        // The relay serves the real round again: the draw succeeds and shows the round, its randomness and the recipe.
        let beacon = FakeDrandRelay.beacon(round: round)
        bot.drand.publish(beacon)
        let drawn = try await bot.command("contest draw", ["contest": String(contest.id)], as: .leader)
        #expect(drawn.allText.contains("🎉 The draw is done."))
        #expect(drawn.allText.contains("drand round \(round)\n`\(beacon.randomness)`"))
        #expect(drawn.allText.contains("Check the draw yourself"))
        #expect(drawn.allText.contains("This is the result anyone could compute"))
        #expect(drawn.allText.contains("The secret was published when the entries locked"))
        #expect(drawn.allText.contains("Fetch drand quicknet round \(round) (`/\(DrandQuicknet.chainHash)/public/\(round)`)"))
        #expect(bot.drand.requestedRounds == [round, round])
        let draw = try #require(try await contests.detail(contestID: contest.id).draw)
        #expect(draw.proof.beacon?.round == round)
        #expect(draw.proof.beacon?.randomness == beacon.randomness)
        #expect(try await contests.verify(contestID: contest.id).passed)
    }
}
