@testable import Bot
import ClanbotCLI
@testable import Domain
import Foundation
import Services
import Testing
import TestSupport

/// Members joining, leaving and renamed, posted in the clan's announcements channel through the fake Discord.
@Suite struct RosterAnnouncementTests {
    static let channel = AnnouncementChannelTests.channel
    static func text(_ request: DiscordRequest) -> String { AnnouncementChannelTests.text(request) }

    @Test func joinsLeavesAndRenamesArePostedOnceEach() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        // The roster seeded before the channel was set is history: not posted.
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "members"], as: .officer)
        #expect(bot.channelPosts.isEmpty)

        _ = try await bot.command("clan add", ["rsn": "New_Kid"], as: .officer)
        _ = try await bot.command("clan rename", ["rsn": "Mem Ber", "new_name": "Mem Bah"], as: .officer)
        _ = try await bot.command("clan remove", ["rsn": "New_Kid"], as: .officer)
        let texts = bot.channelPosts.map(Self.text)
        #expect(texts.count == 3, "\(texts)")
        guard texts.count == 3 else { return }
        #expect(texts[0].contains("New_Kid joined") && texts[0].contains("Iron Legion"))
        #expect(texts[1].contains("Mem Ber is now Mem Bah"))
        #expect(texts[2].contains("New_Kid left"))
        AnnouncementChannelTests.expectWithinLimits(bot.channelPosts)

        // Seen again (the periodic pass, another process over the same file): nothing more.
        await bot.root.channelAnnouncer?.drainAll()
        let restarted = try bot.restartedRoot()
        await restarted.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == 3)
        await restarted.close()
    }

    @Test func aWholeRosterAddedAtOnceIsOnePostAndOtherKindsAreNotPosted() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "member.joined"], as: .officer)
        let names = (1...40).map { "Recruit \($0)" }
        _ = try await bot.services.clans.addMembers(clanID: clan.id, names: names)
        _ = try await bot.services.clans.removeMember(clanID: clan.id, name: "Recruit 1")
        await bot.announced()
        let posts = bot.channelPosts
        // 40 joins read 25 at a time: two posts, every name once; the departure is not wanted.
        let texts = posts.map(Self.text)
        #expect(posts.count == 2, "\(texts)")
        for name in names { #expect(texts.joined().components(separatedBy: "**\(name)**").count == 2, "\(name)") }
        #expect(!texts.joined().contains("left"))
        AnnouncementChannelTests.expectWithinLimits(posts)
    }

    @Test func aChangeMadeWhileNoAnnouncerRanIsPostedByTheNextPass() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "members"], as: .officer)
        // Another process (the CLI) adds a member: this process hears no event.
        let other = try bot.restartedRoot()
        _ = try await other.services.clans.addMembers(clanID: 1, names: ["Cli Added"])
        await other.close()
        #expect(bot.channelPosts.isEmpty)
        await bot.root.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == 1)
        #expect(bot.channelPosts.first.map(Self.text)?.contains("Cli Added joined") == true)
    }
}
