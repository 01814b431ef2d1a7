@testable import Bot
@testable import Domain
import Foundation
import Services
import Storage
import Testing
import TestSupport

/// After each scheduled snapshot run the announcements channel gets one summary: the top gainers of the day, not a
/// line per member; once per run, also for a run recovered after a crash; never for an officer's manual run.
@Suite struct BatchSummaryAnnouncementTests {
    static let channel = AnnouncementChannelTests.channel
    static let extra = (1...20).map { "Member \($0 < 10 ? "0" : "")\($0)" }

    static func scheduledRun(_ bot: BotHarness, slot: Date) async throws {
        let handle = try #require(try await bot.services.batches.startScheduled(clanID: 1, slot: slot))
        _ = try await handle.result()
        await bot.announced()
    }

    @Test func eachScheduledRunIsSummarisedOnceWithTheTopGainersAlsoWhenRecovered() async throws {
        let bot = try BotHarness()
        try await bot.seedClan(extraMembers: Self.extra)
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "summary"], as: .officer)
        let day = Date().addingTimeInterval(-3 * 86_400)
        // The first scheduled run is everyone's baseline: nobody gained yet, so nothing is posted.
        try await Self.scheduledRun(bot, slot: day)
        #expect(bot.channelPosts.isEmpty)

        // Everyone grows; the next scheduled run is summarised in one post: ten gainers and a count of the rest.
        bot.grow(BotHarness.core + Self.extra, by: 1.5)
        try await Self.scheduledRun(bot, slot: day.addingTimeInterval(86_400))
        var texts = bot.channelPosts.map(AnnouncementChannelTests.text)
        #expect(texts.count == 1, "\(texts)")
        let summary = texts.first ?? ""
        #expect(summary.contains("📈 Top gainers of the day · Iron Legion"), "\(summary)")
        #expect(summary.contains("🥇 **") && summary.contains("`#10`") && !summary.contains("`#11`"))
        #expect(summary.contains("…and 13 more members gained xp."))
        #expect(summary.contains("23 of 23 members"))
        AnnouncementChannelTests.expectWithinLimits(bot.channelPosts)

        // An officer's manual run is not summarised; seeing it all again posts nothing more.
        bot.grow(BotHarness.core + Self.extra, by: 1.6)
        _ = try await bot.command("snapshot run", as: .leader)
        await bot.root.channelAnnouncer?.drainAll()
        let restarted = try bot.restartedRoot()
        await restarted.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == 1)

        // A scheduled run a crashed process left half done is recovered, finished and summarised, once.
        let slot = day.addingTimeInterval(2 * 86_400)
        _ = try await bot.services.store.write { db in
            try db.batchRuns.create(clanID: 1, jobID: "crashed-run", mode: .auto, source: "schedule", scheduledFor: slot,
                                    requestedBy: "schedule", owner: "gone-host/1/x", now: Date().addingTimeInterval(-1200))
        }
        bot.grow(BotHarness.core + Self.extra, by: 1.8)
        let recovered = try await bot.services.batches.recoverInterrupted()
        #expect(recovered.count == 1)
        for case .resumed(let handle) in recovered { _ = try await handle.result() }
        await bot.announced()
        await restarted.channelAnnouncer?.drainAll()
        texts = bot.channelPosts.map(AnnouncementChannelTests.text)
        #expect(texts.count == 2, "\(texts)")
        #expect(texts.last?.contains("scheduled run crashed-run") == true)
        await bot.root.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == 2)
        await restarted.close()
    }

    @Test func aWeeklyScheduleIsSummarisedOverTheWeek() {
        let slot = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(BatchSummary.period(slot: slot, previousSlot: nil) == .day)
        #expect(BatchSummary.period(slot: slot, previousSlot: slot.addingTimeInterval(-86_400)) == .day)
        #expect(BatchSummary.period(slot: slot, previousSlot: slot.addingTimeInterval(-7 * 86_400)) == .week)
        #expect(BatchSummary.window(period: .week, end: slot).start == slot.addingTimeInterval(-7 * 86_400))
    }
}
