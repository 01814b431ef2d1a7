@testable import Bot
@testable import Domain
import Foundation
import Services
import Storage
import Testing
import TestSupport

/// Issue 12's end-to-end cases through the fake hiscores and the fake Discord: a member crossing 99 Slayer gets one
/// achievement and one post also when the batch that saw it was left by a stopped process and another recovered
/// after it; a rollback neither posts a loss nor awards the milestone again; a boss new to the hiscores starts from
/// its first value.
@Suite struct ClanLifeAnnouncementTests {
    static let channel = AnnouncementChannelTests.channel
    static let name = "Mem Ber"

    static func slayerAchievements(_ bot: BotHarness) async throws -> Int {
        try await bot.services.store.read { db in
            try db.scalar("SELECT count(*) FROM achievements WHERE kind = 'skill_level' AND metric = 'Slayer' AND threshold = 99", [], as: Int64.self)
        }.map { Int($0) } ?? 0
    }

    @Test func ninetyNineSlayerIsOneAchievementAndOnePostAcrossAStoppedProcessAndARecoveredBatch() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "achievement"], as: .officer)
        let member = HiscoresFixture.Player.typical(seed: 3)
        bot.hiscores.set(Self.name, on: .regular, member.with(skill: "Slayer", xp: 12_900_000))
        _ = try await bot.command("snapshot run", as: .leader)

        // Another process (the CLI, or a bot that then crashed) snapshots the clan as Slayer crosses 99, and stops
        // before announcing anything.
        bot.hiscores.set(Self.name, on: .regular, member.with(skill: "Slayer", xp: 13_100_000))
        let other = try bot.restartedRoot()
        _ = try await other.services.batches.start(clanID: 1, requestedBy: "test").result()
        await other.close()
        #expect(bot.channelPosts.isEmpty)
        #expect(try await Self.slayerAchievements(bot) == 1)

        // A batch a crashed process left running is recovered and finished here: the achievement is posted, once.
        _ = try await bot.services.store.write { db in
            try db.batchRuns.create(clanID: 1, jobID: "crashed-batch", mode: .auto, source: "manual", scheduledFor: nil,
                                    requestedBy: "test", owner: "gone-host/1/x", now: Date().addingTimeInterval(-1200))
        }
        for case .resumed(let handle) in try await bot.services.batches.recoverInterrupted() { _ = try await handle.result() }
        await bot.announced()
        let texts = bot.channelPosts.map(AnnouncementChannelTests.text)
        #expect(texts.count == 1, "\(texts)")
        #expect(texts.first?.contains("Mem Ber: 99 Slayer") == true, "\(texts)")
        #expect(try await Self.slayerAchievements(bot) == 1)

        // Seen again by every pass and process: nothing more.
        await bot.root.channelAnnouncer?.drainAll()
        let restarted = try bot.restartedRoot()
        await restarted.channelAnnouncer?.drainAll()
        _ = try await bot.command("snapshot run", as: .leader)
        #expect(bot.channelPosts.count == 1)
        let listed = try await bot.command("achievements", ["rsn": Self.name], as: .member)
        #expect(listed.lastText.components(separatedBy: "99 Slayer").count == 2, "listed once: \(listed.lastText)")

        // A hiscores rollback below 99 and back: flagged, no second award, no post.
        bot.hiscores.set(Self.name, on: .regular, member.with(skill: "Slayer", xp: 12_950_000))
        _ = try await bot.command("snapshot run", as: .leader)
        bot.hiscores.set(Self.name, on: .regular, member.with(skill: "Slayer", xp: 13_150_000))
        _ = try await bot.command("snapshot run", as: .leader)
        await restarted.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == 1, "\(bot.channelPosts.map(AnnouncementChannelTests.text))")
        #expect(try await Self.slayerAchievements(bot) == 1)
        let flagged = try await bot.services.store.read { db in
            try db.scalar("SELECT count(*) FROM snapshots WHERE rollback_rows IS NOT NULL", [], as: Int64.self)
        }
        #expect(flagged == 1)
        await restarted.close()
    }

    @Test func aBossNewToTheHiscoresStartsFromItsFirstValueInTheChannelToo() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "achievement"], as: .officer)
        let member = HiscoresFixture.Player.typical(seed: 3)
        bot.hiscores.set(Self.name, on: .regular, member)
        _ = try await bot.command("snapshot run", as: .leader)
        // The game adds a boss; the member already has 600 kills on its first day: no 500-kill milestone.
        bot.hiscores.set(Self.name, on: .regular, member.with(activity: "The Mad Angel", score: 600))
        _ = try await bot.command("snapshot run", as: .leader)
        #expect(bot.channelPosts.isEmpty, "\(bot.channelPosts.map(AnnouncementChannelTests.text))")
        // From its first value on it counts: crossing 1,000 is a milestone, posted once.
        bot.hiscores.set(Self.name, on: .regular, member.with(activity: "The Mad Angel", score: 1_010))
        _ = try await bot.command("snapshot run", as: .leader)
        let texts = bot.channelPosts.map(AnnouncementChannelTests.text)
        #expect(texts.count == 1, "\(texts)")
        #expect(texts.first?.contains("1,000 The Mad Angel kills") == true && texts.first?.contains("500 The Mad Angel") == false, "\(texts)")
    }
}
