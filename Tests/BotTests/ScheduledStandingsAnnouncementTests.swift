import Bot
import Domain
import Foundation
import Services
import Testing
import TestSupport
@testable import Bot

/// Standings of running contests posted on the schedule officers chose (`/announce standings`), by the announcer's
/// loop on a clock the test moves: each slot once, for a raffle (tickets) and a ranked contest (points), with the
/// "so far" time; a raffle's final standings after its end; posts within Discord's limits however long.
@Suite struct ScheduledStandingsAnnouncementTests {
    static let channel = AnnouncementChannelTests.channel

    /// The next whole UTC hour at least an hour after `date`.
    static func slot(after date: Date) -> Date {
        Date(timeIntervalSince1970: (floor(date.timeIntervalSince1970 / 3600) + 2) * 3600)
    }

    @Test func standingsArePostedOnTheScheduleForEachKindThenTheFinalOnes() async throws {
        let clock = ManualClock(start: Date(epochMilliseconds: Date().epochMilliseconds))
        let bot = try BotHarness(clock: clock)
        try await bot.seedClan()
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "contest.activated, contest.ended"], as: .officer)
        let refused = try await bot.command("announce standings", ["every": "hourly"], as: .officer)
        #expect(refused.lastText.contains("'hourly' is not a standings schedule"), "\(refused.lastText)")
        #expect(try await bot.command("announce standings", ["every": "6h"], as: .member).lastText.contains("leaders and officers"))

        // The baseline snapshot, then the contests start (the clock is moved to the real time after it).
        _ = try await bot.command("snapshot run", as: .leader)
        clock.set(Date(epochMilliseconds: Date().epochMilliseconds))
        let first = Self.slot(after: clock.date)
        let hour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: first).hour ?? 0
        let at = (hour < 10 ? "0" : "") + "\(hour):00"
        let set = try await bot.command("announce standings", ["every": "6h", "at": at], as: .officer)
        #expect(set.lastText.contains("every 6 hours from \(at) (UTC)"), "\(set.lastText)")
        let end = first.addingTimeInterval(8 * 3600)
        _ = try await bot.command("contest create", ["name": "Raffle XP", "start": "now", "end": end.formatted(.iso8601), "randomness": "none"], as: .officer)
        let raffle = try #require(try await bot.environment.contests.list(clanID: 1).first { $0.name == "Raffle XP" })
        _ = try await bot.command("contest rule", ["contest": String(raffle.id), "type": "total_xp", "threshold": 1], as: .officer)
        _ = try await bot.command("contest activate", ["contest": String(raffle.id)], as: .officer)
        _ = try await bot.command("contest create", ["name": "Ranked XP", "start": "now", "end": end.formatted(.iso8601), "kind": "ranked", "randomness": "none"], as: .officer)
        let ranked = try #require(try await bot.environment.contests.list(clanID: 1).first { $0.name == "Ranked XP" })
        _ = try await bot.command("contest rule", ["contest": String(ranked.id), "type": "total_xp", "title": "XP"], as: .officer)
        _ = try await bot.command("contest activate", ["contest": String(ranked.id)], as: .officer)
        bot.grow(BotHarness.core, by: 1.2)
        _ = try await bot.command("snapshot run", as: .leader)
        let texts = { bot.channelPosts.map(AnnouncementChannelTests.text) }
        #expect(texts().count == 2, "the two activations: \(texts())")

        let announcer = try #require(bot.root.channelAnnouncer)
        let loop = Task { await announcer.run(every: .seconds(60), clock: clock) }
        defer { loop.cancel() }
        await clock.advanceAndWait(to: first.addingTimeInterval(-1))
        #expect(texts().count == 2)
        // The first slot: one post per running contest, on time.
        await clock.advanceAndWait(by: .seconds(1.5))
        #expect(texts().count == 4, "\(texts())")
        let raffleText = try #require(texts().first { $0.contains("📋 Standings · Raffle XP") })
        #expect(raffleText.contains("**So far**: snapshots of") && raffleText.contains("— 1 ticket"), "\(raffleText)")
        let rankedText = try #require(texts().first { $0.contains("📋 Standings · Ranked XP") })
        #expect(rankedText.contains("points") && rankedText.contains("🥇"), "\(rankedText)")
        AnnouncementChannelTests.expectWithinLimits(bot.channelPosts)

        // The same slot seen again, by this process or another: nothing more. The next slot: two more.
        await announcer.drainAll()
        let restarted = try bot.restartedRoot()
        await restarted.channelAnnouncer?.drainAll()
        #expect(texts().count == 4)
        await clock.advanceAndWait(to: first.addingTimeInterval(6 * 3600 + 1))
        #expect(texts().count == 6, "\(texts())")

        // The end: the raffle's final standings follow its ended post; the ranked contest's ended post has its ranking.
        clock.set(end.addingTimeInterval(1))
        _ = try await bot.services.contests.endDue()
        await bot.announced()
        let ending = texts().suffix(3)
        #expect(ending.count == 3, "\(texts())")
        #expect(ending.contains { $0.contains("Entries locked: Raffle XP") })
        #expect(ending.contains { $0.contains("Ranking locked: Ranked XP") && $0.contains("Standings") })
        let endingTexts = Array(ending)
        let lockedAt = endingTexts.firstIndex { $0.contains("Entries locked: Raffle XP") }
        let finalAt = endingTexts.firstIndex { $0.contains("🏁 Final standings · Raffle XP") }
        #expect(lockedAt != nil && finalAt != nil && lockedAt! < finalAt!, "\(ending)")
        #expect(endingTexts.first { $0.contains("🏁 Final standings") }?.contains("— 1 ticket") == true)
        // No slot after the end, and the final standings once.
        await clock.advanceAndWait(to: first.addingTimeInterval(12 * 3600 + 1))
        await restarted.channelAnnouncer?.drainAll()
        #expect(texts().count == 9, "\(texts())")

        let off = try await bot.command("announce standings", ["every": "off"], as: .officer)
        #expect(off.lastText.contains("No scheduled standings"))
        await restarted.close()
    }

    @Test func longStandingsAreSplitWithinDiscordsLimitsAndNothingIsCut() throws {
        let contest = try Contest(id: 7, clanID: 1, name: String(repeating: "Clan wars ", count: 9), startAt: Date(), endAt: Date() + 3600, kind: .teams)
        // 120 teams with long names, one member each: the teams alone exceed one embed's description.
        let entries = (1...120).map { index in
            Standings.Entry(accountID: Int64(index), name: "Member \(index)", score: Int64(1000 - index),
                            team: "Team \(index) " + String(repeating: "with a very long name ", count: 3), measuredAt: Date())
        }
        let table = Standings(unit: .points, entries: entries, isFinal: false)
        let posts = AnnouncementPosts.standings(table, contest: contest, clanName: "Iron Legion", key: "k", at: Date())
        #expect(posts.count >= 2)
        #expect(posts.map(\.eventKey).prefix(2) == ["k", "k/2"])
        var all = ""
        for post in posts {
            let body = try #require(try JSONSerialization.jsonObject(with: Data(post.payload.utf8)) as? [String: Any])
            let embeds = body["embeds"] as? [[String: Any]] ?? []
            #expect(embeds.count <= 10)
            var total = 0
            for embed in embeds {
                let title = (embed["title"] as? String ?? "").utf16.count
                let description = embed["description"] as? String ?? ""
                #expect(title <= 256 && description.utf16.count <= 4096)
                total += title + description.utf16.count + ((embed["footer"] as? [String: Any])?["text"] as? String ?? "").utf16.count
                all += description
            }
            #expect(total <= 6000)
        }
        #expect(all.contains("Team 1 with") && all.contains("Team 120 with"), "every team is listed")
        #expect(all.contains("…and 105 more"))
    }
}
