import Bot
import Domain
import Foundation
import Services
import Testing
import TestSupport

/// When Discord refuses the announcements channel, the next officer command in that clan carries one private
/// notice naming the missing permission; later replies do not repeat it, `/announce show` keeps showing it.
@Suite struct AnnouncementRefusalNoticeTests {
    static func notices(_ exchange: Exchange) -> [String] {
        exchange.messages.map(Exchange.text).filter { $0.contains("are not being posted") }
    }

    @Test func theNextOfficerReplyCarriesTheNoticeOnce() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        bot.answerPosts(in: "556", always: .error(403, code: 50001, "Missing Access"))
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: "556"), "events": "members"], as: .officer)
        // A member joins (added elsewhere, e.g. the CLI): the post is refused and the channel blocked.
        _ = try await bot.services.clans.addMembers(clanID: clan.id, names: ["New Kid"], role: .member)
        await bot.announced()
        #expect(bot.channelPosts.count == 1)

        // A member's command: no notice (they cannot fix it).
        let member = try await bot.command("leaderboard", as: .member)
        #expect(Self.notices(member).isEmpty)
        // The next officer command: its reply, then one private notice naming the permission.
        let first = try await bot.command("webhook list", as: .officer)
        let notices = Self.notices(first)
        #expect(notices.count == 1, "\(first.messages.map(Exchange.text))")
        #expect(notices.first?.contains("Iron Legion") == true && notices.first?.contains("**View Channel**") == true)
        #expect(first.messages.last?["flags"] as? Int == 64)
        // Told: neither this officer nor the leader hears it again.
        #expect(Self.notices(try await bot.command("webhook list", as: .officer)).isEmpty)
        #expect(Self.notices(try await bot.command("schedule show", as: .leader)).isEmpty)
        let shown = try await bot.command("announce show", as: .officer)
        #expect(shown.lastText.contains("**View Channel**"))
        #expect(bot.channelPosts.count == 1, "the blocked channel is not tried again")

        // Fixed and refused again later: officers are told again, once.
        bot.answerPosts(in: "556", always: .error(403, code: 50013, "Missing Permissions"))
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: "556"), "events": "members"], as: .officer)
        _ = try await bot.services.clans.addMembers(clanID: clan.id, names: ["Newer Kid"], role: .member)
        await bot.announced()
        let again = try await bot.command("webhook list", as: .leader)
        #expect(Self.notices(again).count == 1)
        #expect(Self.notices(again).first?.contains("**Send Messages**") == true)
        #expect(Self.notices(try await bot.command("webhook list", as: .officer)).isEmpty)
    }
}
