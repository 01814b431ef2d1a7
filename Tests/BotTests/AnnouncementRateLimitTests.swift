@testable import Bot
@testable import Domain
import Foundation
import Services
import Testing
import TestSupport

/// Discord's rate limits on the announcements channel: the REST client waits and retries as Discord says; a post
/// still refused with 429 waits in the outbox for the next pass (the channel is not blocked), then goes out once.
@Suite struct AnnouncementRateLimitTests {
    @Test func aRateLimitedPostWaitsForTheNextPassAndIsSentOnce() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        bot.answerPosts(in: AnnouncementChannelTests.channel, always: .rateLimited(retryAfter: 0.01))
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: AnnouncementChannelTests.channel), "events": "members"], as: .officer)
        _ = try await bot.services.clans.addMembers(clanID: clan.id, names: ["New Kid"], role: .member)
        await bot.announced()
        let tries = bot.channelPosts.count
        #expect(tries >= 2, "the client retried after the 429s")
        let waiting = try await bot.command("announce show", as: .officer)
        #expect(waiting.lastText.contains("1 waiting") && !waiting.lastText.contains("cannot post"), "\(waiting.lastText)")

        bot.discord.forgetAnswers()
        await bot.root.channelAnnouncer?.drainAll()
        await bot.root.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == tries + 1)
        #expect(bot.channelPosts.last.map(AnnouncementChannelTests.text)?.contains("New Kid joined") == true)
        let sent = try await bot.command("announce show", as: .officer)
        #expect(sent.lastText.contains("1 posted") && sent.lastText.contains("0 waiting"), "\(sent.lastText)")
    }
}
