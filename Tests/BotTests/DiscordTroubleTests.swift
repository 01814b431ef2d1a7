import Bot
import Foundation
import Testing
import TestSupport

/// What the bot does when Discord's REST API answers a reply with a 429, a 5xx or not at all, scripted on the
/// recording transport (no socket): the real REST client waits as told and sends again, and the clan sees one reply.
@Suite struct DiscordTroubleTests {
    @Test func aRateLimitedEditOfTheDeferredReplyIsSentAgainAfterRetryAfter() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        bot.discord.answer(where: { $0.method == "PATCH" }, with: [.rateLimited(retryAfter: 0.05)])
        let info = try await bot.command("clan info", as: .member)
        #expect(info.callbackType == 5)
        #expect(info.edits.count == 2, "the 429, then the edit")
        #expect(info.edits.allSatisfy { $0.route.hasSuffix("/messages/@original") })
        #expect(info.lastText.contains("🏰 Iron Legion"))
        #expect(bot.logs.value.isEmpty, "\(bot.logs.value)")
    }

    @Test func aCallbackAnswered503OrDroppedIsSentAgainAndAnsweredOnce() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        bot.discord.answer(where: { $0.route.hasSuffix("/callback") }, with: [.status(503), .dropped])
        let info = try await bot.command("clan info", as: .member)
        let callbacks = info.requests.filter { $0.route.hasSuffix("/callback") }
        #expect(callbacks.count == 3, "503, dropped, then answered")
        #expect(Set(callbacks.map(\.text)).count == 1, "the same callback each time")
        #expect(info.edits.count == 1)
        #expect(info.lastText.contains("🏰 Iron Legion"))
    }

    @Test func aRefusedPostInAChannelIsNotRepeatedByTheClient() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        bot.answerPosts(in: "555", always: .error(403, code: 50001, "Missing Access"))
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: "555"), "events": "members"], as: .officer)
        _ = try await bot.services.clans.addMembers(clanID: 1, names: ["New Kid"], role: .member)
        await bot.announced()
        #expect(bot.discord.requests("POST", "/channels/555/messages").count == 1, "a 403 is final: no retry, no second try")
    }
}
