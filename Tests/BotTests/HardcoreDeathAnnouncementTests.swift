@testable import Bot
import ClanbotCLI
@testable import Domain
import Foundation
import Services
import Storage
import Testing
import TestSupport

/// A hardcore ironman's death (hardcore → ironman between two snapshots) posted once in the announcements channel.
@Suite struct HardcoreDeathAnnouncementTests {
    static let channel = AnnouncementChannelTests.channel
    static let name = "Brave Soul"

    /// A clan with a living hardcore ironman, snapshotted once, and a channel that takes deaths.
    static func clanWithHardcore() async throws -> (BotHarness, HiscoresFixture.Player) {
        let bot = try BotHarness()
        try await bot.seedClan(extraMembers: [name])
        let player = HiscoresFixture.Player.typical(seed: 11)
        for board in [HiscoresBoard.regular, .ironman, .hardcore] { bot.hiscores.set(name, on: board, player) }
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: channel), "events": "hardcore.died"], as: .officer)
        _ = try await bot.command("snapshot run", as: .leader)
        #expect(try await bot.services.store.read { db in try db.accounts.find(try RSN(name))?.resolvedType } == .hardcore)
        return (bot, player)
    }

    /// The hardcore board stops counting (the account died) and the weekly re-check is due.
    static func die(_ bot: BotHarness, _ player: HiscoresFixture.Player, asHardcore: Bool = false) async throws {
        bot.hiscores.set(name, on: .hardcore, player.scalingXP(by: 0.5))
        try await bot.services.store.write { db in
            let account = try #require(try db.accounts.find(try RSN(name)))
            _ = try db.accounts.updateResolvedType(accountID: account.id, to: asHardcore ? .hardcore : account.resolvedType ?? .hardcore,
                                                   checkedAt: Date().addingTimeInterval(-8 * 86_400))
        }
    }

    @Test func aDeathIsPostedOnceAlsoWhenTheRunIsRepeated() async throws {
        let (bot, player) = try await Self.clanWithHardcore()
        #expect(bot.channelPosts.isEmpty)
        try await Self.die(bot, player)
        _ = try await bot.command("snapshot run", as: .leader)
        let texts = bot.channelPosts.map(AnnouncementChannelTests.text)
        #expect(texts.count == 1, "\(texts)")
        #expect(texts.first?.contains("Brave Soul lost hardcore status") == true)
        #expect(texts.first?.contains("Died between") == true)
        AnnouncementChannelTests.expectWithinLimits(bot.channelPosts)

        // Runs again, the periodic pass, and even the hiscores flapping back to hardcore and dying again: one post.
        _ = try await bot.command("snapshot run", as: .leader)
        await bot.root.channelAnnouncer?.drainAll()
        try await Self.die(bot, player, asHardcore: true)
        _ = try await bot.command("snapshot run", as: .leader)
        #expect(bot.channelPosts.count == 1)
    }

    @Test func aDeathFoundByAProcessThatStoppedBeforeAnnouncingIsPostedByTheNextPass() async throws {
        let (bot, player) = try await Self.clanWithHardcore()
        try await Self.die(bot, player)
        // Another process snapshots the clan and stops before any announcer heard of it.
        let other = try bot.restartedRoot()
        let handle = try await other.services.batches.start(clanID: 1, requestedBy: "test")
        _ = try await handle.result()
        await other.close()
        #expect(bot.channelPosts.isEmpty)
        await bot.root.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == 1)
        #expect(bot.channelPosts.first.map(AnnouncementChannelTests.text)?.contains("Brave Soul lost hardcore status") == true)
        _ = try await bot.command("snapshot run", as: .leader)
        #expect(bot.channelPosts.count == 1)
    }
}
