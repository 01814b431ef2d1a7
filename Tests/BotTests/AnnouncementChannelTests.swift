@testable import Bot
import ClanbotCLI
@testable import Domain
import Foundation
import Services
import Testing
import TestSupport

/// The announcements channel end to end: `/announce` through the router, clan events through the composition
/// root's stream, posts recorded by the fake Discord.
@Suite struct AnnouncementChannelTests {
    static let channel = "555"

    static func body(_ request: DiscordRequest) -> [String: Any] { request.json }

    static func text(_ request: DiscordRequest) -> String { Exchange.text(body(request)) }

    /// Every embed of every post within Discord's limits.
    static func expectWithinLimits(_ posts: [DiscordRequest]) {
        for post in posts {
            let message = body(post)
            let embeds = message["embeds"] as? [[String: Any]] ?? []
            #expect(embeds.count <= 10)
            #expect((message["content"] as? String ?? "").utf16.count <= 2000)
            var total = 0
            for embed in embeds {
                let title = (embed["title"] as? String ?? "").utf16.count
                let description = (embed["description"] as? String ?? "").utf16.count
                let footer = ((embed["footer"] as? [String: Any])?["text"] as? String ?? "").utf16.count
                #expect(title <= 256 && description <= 4096)
                let fields = embed["fields"] as? [[String: Any]] ?? []
                #expect(fields.count <= 25)
                var fieldTotal = 0
                for field in fields {
                    let name = (field["name"] as? String ?? "").utf16.count
                    let value = (field["value"] as? String ?? "").utf16.count
                    #expect(name <= 256 && value <= 1024)
                    fieldTotal += name + value
                }
                total += title + description + footer + fieldTotal
            }
            #expect(total <= 6000)
        }
    }

    /// Creates, activates, ends and draws a contest (no beacon, so the draw is immediate) through the commands.
    static func runContest(_ bot: BotHarness, name: String = "Summer XP") async throws -> Int64 {
        _ = try await bot.command("snapshot run", as: .leader)
        let now = Date()
        _ = try await bot.command("contest create", ["name": name, "start": "now", "end": (now + 3600).formatted(.iso8601), "randomness": "none"], as: .officer)
        let contest = try #require(try await bot.environment.contests.list(clanID: 1).first { $0.name == name })
        _ = try await bot.command("contest rule", ["contest": String(contest.id), "type": "total_xp", "threshold": 1], as: .officer)
        _ = try await bot.command("contest activate", ["contest": String(contest.id)], as: .officer)
        bot.grow(BotHarness.core, by: 1.2)
        _ = try await bot.command("snapshot run", as: .leader)
        bot.contestClockOffset.withLock { $0 = 7200 }
        _ = try await bot.command("contest end", ["contest": String(contest.id)], as: .officer)
        _ = try await bot.command("contest draw", ["contest": String(contest.id)], as: .leader)
        return contest.id
    }

    @Test func officersSetShowAndTurnOffTheChannelMembersCannot() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let refused = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel)], as: .member)
        #expect(refused.lastIsEphemeral && refused.lastText.contains("leaders and officers"))
        let badEvents = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "contest.drawn, fishing"], as: .officer)
        #expect(badEvents.lastText.contains("nknown announcement 'fishing'"), "\(badEvents.lastText)")

        let set = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "contest"], as: .officer)
        #expect(set.lastText.contains("<#555>") && set.lastText.contains("`contest.drawn`") && !set.lastText.contains("`achievement`"))
        let show = try await bot.command("announce show", as: .member)
        #expect(show.lastText.contains("leaders and officers"))
        let shown = try await bot.command("announce show", as: .officer)
        #expect(shown.lastText.contains("<#555>") && shown.lastText.contains("0 posted"))
        let off = try await bot.command("announce off", as: .leader)
        #expect(off.lastText.contains("turned off"))
        let after = try await bot.command("announce show", as: .officer)
        #expect(after.lastText.contains("Off."))
    }

    @Test func theContestLifecycleIsPostedOnceEachWithCommitmentDigestWinnerAndRecipe() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "contest"], as: .officer)
        let id = try await Self.runContest(bot)
        let contest = try await bot.environment.contests.detail(contestID: id)
        let posts = bot.channelPosts
        #expect(posts.allSatisfy { $0.path == "/channels/555/messages" })
        #expect(posts.allSatisfy { $0.headers["Authorization"] == "Bot bot-token" })
        let texts = posts.map(Self.text)
        #expect(texts.count == 3, "\(texts.map { $0.prefix(60) })")
        guard texts.count == 3 else { return }
        #expect(texts[0].contains("Contest started: Summer XP"))
        let commitment = try #require(contest.contest.commitment?.commitment)
        let digest = try #require(contest.contest.entries?.digest)
        #expect(texts[0].contains(commitment))
        #expect(texts[1].contains("Entries locked: Summer XP") && texts[1].contains(digest))
        let draw = try #require(contest.draw)
        #expect(texts[2].contains("drawn: Summer XP") && texts[2].contains(draw.winners[0].displayName) && texts[2].contains(draw.proof.secret))
        #expect(texts[2].contains("Verify"))
        // Nobody is pinged, and each post carries a nonce Discord de-duplicates on.
        for post in posts {
            let body = Self.body(post)
            #expect((body["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
            #expect((body["nonce"] as? String)?.hasPrefix("clanbot-") == true && body["enforce_nonce"] as? Bool == true)
        }
        Self.expectWithinLimits(posts)
        // Events seen again (another process, a replay) are not posted again.
        await bot.root.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == 3)
        let shown = try await bot.command("announce show", as: .officer)
        #expect(shown.lastText.contains("3 posted") && shown.lastText.contains("0 waiting"))
    }

    @Test func aMemberReaching99SlayerIsPostedOnceAlsoWhenTheBatchIsSeenAgain() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "achievement"], as: .officer)
        let member = HiscoresFixture.Player.typical(seed: 3)
        bot.hiscores.set("Mem Ber", on: .regular, member.with(skill: "Slayer", xp: 12_000_000))
        _ = try await bot.command("snapshot run", as: .leader)
        #expect(bot.channelPosts.isEmpty)
        bot.hiscores.set("Mem Ber", on: .regular, member.with(skill: "Slayer", xp: 13_100_000))
        _ = try await bot.command("snapshot run", as: .leader)
        let posts = bot.channelPosts
        #expect(posts.count == 1)
        #expect(posts.first.map(Self.text)?.contains("Mem Ber: 99 Slayer") == true, "\(posts.map(Self.text))")
        // A third run (nothing new), and the same batch event delivered again: no second post.
        _ = try await bot.command("snapshot run", as: .leader)
        await bot.root.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == 1)
        _ = clan
    }

    @Test func afterARestartOnlyWhatWasNotSentIsPosted() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "contest"], as: .officer)
        _ = try await Self.runContest(bot)
        #expect(bot.channelPosts.count == 3)
        // The process "crashed" with two posts queued: one never claimed, one claimed but never marked sent.
        let announcements = bot.services.announcements
        let queued = AnnouncementService.Post(eventKey: "test:queued", kind: .contestCancelled,
                                              payload: #"{"embeds":[{"title":"Queued before the crash"}],"allowed_mentions":{"parse":[]}}"#)
        let claimed = AnnouncementService.Post(eventKey: "test:claimed", kind: .contestCancelled,
                                               payload: #"{"embeds":[{"title":"Claimed before the crash"}],"allowed_mentions":{"parse":[]}}"#)
        try await announcements.enqueue(clanID: clan.id, [claimed, queued])
        let first = try #require(try await announcements.pending(clanID: clan.id).first)
        #expect(try await announcements.claim(first, channelID: Self.channel, now: Date().addingTimeInterval(-3600)))

        // A new composition root over the same SQLite file, as `clanbot run` after a restart.
        let restarted = try bot.restartedRoot()
        await restarted.channelAnnouncer?.drainAll()
        let texts = bot.channelPosts.map(Self.text)
        #expect(texts.count == 4, "\(texts)")
        #expect(texts.last?.contains("Queued before the crash") == true)
        #expect(!texts.contains { $0.contains("Claimed before the crash") })
        // Again: nothing more.
        await restarted.channelAnnouncer?.drainAll()
        await bot.root.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == 4)
        let shown = try await bot.command("announce show", as: .officer)
        #expect(shown.lastText.contains("4 posted") && shown.lastText.contains("1 may be missing"), "\(shown.lastText)")
        await restarted.close()
    }

    @Test func aChannelWithoutSendMessagesIsNotHammeredAndOfficersAreToldWhichPermission() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        bot.answerPosts(in: Self.channel, always: .error(403, code: 50013, "Missing Permissions"))
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "contest"], as: .officer)
        _ = try await Self.runContest(bot)
        // The first post, then the same as plain text (to tell Send Messages from Embed Links); then nothing.
        #expect(bot.channelPosts.count == 2)
        await bot.root.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == 2)
        let shown = try await bot.command("announce show", as: .officer)
        #expect(shown.lastText.contains("**Send Messages**"), "\(shown.lastText)")
        #expect(shown.lastText.contains("3 waiting"))
        // Fixed: set again, and the waiting posts go out, once.
        bot.discord.forgetAnswers()
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel)], as: .officer)
        await bot.root.channelAnnouncer?.drainAll()
        #expect(bot.channelPosts.count == 5)
        let fixed = try await bot.command("announce show", as: .officer)
        #expect(!fixed.lastText.contains("Send Messages**") && fixed.lastText.contains("3 posted"))
    }

    @Test func missingEmbedLinksPostsTheEventAsTextAndNamesThePermission() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        bot.answerPosts(in: Self.channel, always: .error(403, code: 50013, "Missing Permissions"), embedsOnly: true)
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: Self.channel), "events": "contest"], as: .officer)
        _ = try await Self.runContest(bot)
        // The activation was refused with its embed, then posted as text; the rest waits for Embed Links.
        let posts = bot.channelPosts
        #expect(posts.count == 2)
        #expect(posts.last.map { Self.body($0)["content"] as? String ?? "" }?.contains("Contest started: Summer XP") == true)
        let shown = try await bot.command("announce show", as: .officer)
        #expect(shown.lastText.contains("**Embed Links**") && shown.lastText.contains("1 posted") && shown.lastText.contains("2 waiting"), "\(shown.lastText)")
    }

    @Test func aChannelTheBotCannotSeeNamesViewChannel() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        bot.answerPosts(in: "556", always: .error(403, code: 50001, "Missing Access"))
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: "556"), "events": "contest"], as: .officer)
        _ = try await Self.runContest(bot)
        #expect(bot.channelPosts.count == 1)
        let shown = try await bot.command("announce show", as: .officer)
        #expect(shown.lastText.contains("**View Channel**"), "\(shown.lastText)")
    }
}
