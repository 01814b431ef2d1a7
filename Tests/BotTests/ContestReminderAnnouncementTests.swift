@testable import Bot
@testable import Domain
import Foundation
import Services
import Testing
import TestSupport

/// Reminders 24 hours and 1 hour before a contest ends, posted in the announcements channel by the announcer's own
/// loop on a clock the test moves: at the right moment, once each (also after a restart), and only those still
/// ahead when the contest went live.
@Suite struct ContestReminderAnnouncementTests {
    static let channel = AnnouncementChannelTests.channel

    /// Creates and activates a raffle (total xp, 1 ticket) ending `hours` after the clock's time.
    static func activeContest(_ bot: BotHarness, name: String, endingIn hours: Double, clock: ManualClock) async throws -> Contest {
        let end = clock.date.addingTimeInterval(hours * 3600)
        _ = try await bot.command("contest create", ["name": name, "start": "now", "end": end.formatted(.iso8601), "randomness": "none"], as: .officer)
        let contest = try #require(try await bot.environment.contests.list(clanID: 1).first { $0.name == name })
        _ = try await bot.command("contest rule", ["contest": String(contest.id), "type": "total_xp", "threshold": 1], as: .officer)
        _ = try await bot.command("contest activate", ["contest": String(contest.id)], as: .officer)
        return try await bot.environment.contests.detail(contestID: contest.id).contest
    }

    @Test func remindersArePostedOnTimeOnceEachAndOnlyThoseAheadAtActivation() async throws {
        let clock = ManualClock(start: Date(epochMilliseconds: Date().epochMilliseconds))
        let bot = try BotHarness(clock: clock)
        try await bot.seedClan()
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "reminders"], as: .officer)
        let start = clock.date
        // Two days left: both reminders. Twenty hours left: the 1-hour one only.
        let long = try await Self.activeContest(bot, name: "Two Day XP", endingIn: 48, clock: clock)
        let short = try await Self.activeContest(bot, name: "Short XP", endingIn: 20, clock: clock)
        let announcer = try #require(bot.root.channelAnnouncer)
        let loop = Task { await announcer.run(every: .seconds(60), clock: clock) }
        defer { loop.cancel() }
        let texts = { bot.channelPosts.map(AnnouncementChannelTests.text) }

        // Nothing until the short contest's hour-before mark; the loop sleeps until then, not a minute more.
        await clock.advanceAndWait(to: short.endAt.addingTimeInterval(-3600 - 1))
        #expect(texts().isEmpty, "\(texts())")
        await clock.advanceAndWait(by: .seconds(1.5))
        #expect(texts().count == 1)
        #expect(texts().last?.contains("⏰ Short XP ends in 1 hour") == true, "\(texts())")
        #expect(clock.date.timeIntervalSince(short.endAt.addingTimeInterval(-3600)) < 2)

        await clock.advanceAndWait(to: long.endAt.addingTimeInterval(-86_400 - 1))
        #expect(texts().count == 1, "the short contest ended without a 24-hour reminder: it was not ahead at activation")
        await clock.advanceAndWait(by: .seconds(1.5))
        #expect(texts().count == 2)
        #expect(texts().last?.contains("⏰ Two Day XP ends in 24 hours") == true, "\(texts())")
        #expect(texts().last?.contains("<t:\(Int64(long.endAt.timeIntervalSince1970)):f>") == true)

        // Another process after a restart sees the same reminder due: it is not posted again.
        let restarted = try bot.restartedRoot()
        await restarted.channelAnnouncer?.drainAll()
        #expect(texts().count == 2)

        await clock.advanceAndWait(to: long.endAt.addingTimeInterval(-3600 + 1))
        #expect(texts().count == 3)
        #expect(texts().last?.contains("⏰ Two Day XP ends in 1 hour") == true, "\(texts())")
        // Past the end: nothing more, however often the loop passes.
        await clock.advanceAndWait(to: long.endAt.addingTimeInterval(3600))
        await restarted.channelAnnouncer?.drainAll()
        #expect(texts().count == 3)
        AnnouncementChannelTests.expectWithinLimits(bot.channelPosts)
        #expect(start < short.endAt)
        await restarted.close()
    }
}
