import Bot
import Domain
import Foundation
import Services
import Storage
import Testing
import TestSupport

/// `/player rsn` through the router: a profile from the stored snapshots, with the week measured around a rollback
/// and a boss new to the hiscores, and honest answers for names the clan or the hiscores do not know.
@Suite struct PlayerProfileTests {
    static let day: TimeInterval = 86_400

    /// Mem Ber's figures: stored 10 and 3 days ago, a rollback 2 days ago, then taken live from the fake hiscores.
    struct History {
        var tenDaysAgo: HiscoresFixture.Player
        var threeDaysAgo: HiscoresFixture.Player
        var rollback: HiscoresFixture.Player
        var now: HiscoresFixture.Player
    }

    static func history() -> History {
        let base = HiscoresFixture.Player.typical(seed: 3).with(activity: "Zulrah", score: 100)
        // Yama is new to the hiscores after the first snapshot: that one does not list the row at all.
        var first = base.with(skill: "Slayer", xp: 12_000_000)
        first.activities.removeAll { $0.name == "Yama" }
        let middle = base.with(skill: "Slayer", xp: 12_500_000).with(activity: "Zulrah", score: 110).with(activity: "Yama", score: 40)
        let dip = base.with(skill: "Slayer", xp: 11_000_000).with(activity: "Zulrah", score: 110).with(activity: "Yama", score: 40)
        let now = base.with(skill: "Slayer", xp: 13_100_000).with(activity: "Zulrah", score: 120).with(activity: "Yama", score: 45)
        return History(tenDaysAgo: first, threeDaysAgo: middle, rollback: dip, now: now)
    }

    static func accountID(_ bot: BotHarness, _ name: String) async throws -> Int64 {
        let account = try await bot.services.store.read { db in try db.accounts.find(normalisedName: name.lowercased()) }
        return try #require(account).id
    }

    /// Stores a snapshot taken `ago` seconds before now, as a batch long ago would have.
    static func store(_ bot: BotHarness, _ name: String, _ player: HiscoresFixture.Player, ago: TimeInterval, rollbackRows: [String] = []) async throws {
        let id = try await accountID(bot, name)
        try await bot.services.store.write { db in
            try db.snapshots.insert(accountID: id, fetchedAt: Date().addingTimeInterval(-ago), requestedBoard: .regular, resolvedType: nil,
                                    latencyMs: 5, record: player.record, rollbackRows: rollbackRows)
        }
    }

    /// The clan with Mem Ber's history stored and the last snapshot taken through the snapshot service (which
    /// finds 99 Slayer against the last measurable snapshot, three days ago).
    static func clanWithHistory() async throws -> (BotHarness, History) {
        let bot = try BotHarness()
        try await bot.seedClan()
        let history = Self.history()
        try await store(bot, "Mem Ber", history.tenDaysAgo, ago: 10 * day)
        try await store(bot, "Mem Ber", history.threeDaysAgo, ago: 3 * day)
        try await store(bot, "Mem Ber", history.rollback, ago: 2 * day, rollbackRows: ["Slayer"])
        bot.hiscores.set("Mem Ber", on: .regular, history.now)
        _ = try await bot.services.snapshots.snapshot(name: "Mem Ber", board: .regular)
        let id = try await accountID(bot, "Mem Ber")
        _ = try await bot.services.store.write { db in try db.accounts.updateResolvedType(accountID: id, to: .hardcore) }
        return (bot, history)
    }

    @Test func aProfileShowsTheLatestFiguresTheWeekAndTheAchievements() async throws {
        let (bot, history) = try await Self.clanWithHistory()
        let answer = try await bot.command("player", ["rsn": "mem ber"], as: .member)
        let text = answer.lastText
        #expect(!answer.lastIsEphemeral)
        #expect(text.contains("👤 Mem Ber") && text.contains("**Hardcore ironman**"), "\(text)")
        let overall = try #require(history.now.skills.first)
        #expect(text.contains("Total level **\(Int64(overall.level).groupedDigits)**"))
        #expect(text.contains("Slayer **99** · 13.1M"))
        #expect(text.contains("4 snapshots since <t:"))
        #expect(text.contains("✅ On the hiscores"))
        // Every skill but Overall, in three columns.
        let embed = try #require((answer.last["embeds"] as? [[String: Any]])?.first)
        let fields = embed["fields"] as? [[String: Any]] ?? []
        let skillLines = fields.prefix(3).flatMap { ($0["value"] as? String ?? "").split(separator: "\n") }
        #expect(skillLines.count == history.now.skills.count - 1)
        // The week runs from the snapshot ten days ago (the last before the window) to now: the rollback two days
        // ago is no bound, and Yama, new since then, gains nothing.
        let slayerBefore = HiscoresFixture.level(forXP: 12_000_000)
        #expect(text.contains("**+1.1M** xp"), "\(text)")
        #expect(text.contains("Slayer +1.1M (\(slayerBefore)→99)"))
        #expect(text.contains("Zulrah +20"))
        #expect(!text.contains("Yama +"))
        #expect(text.contains("🆕 New on the hiscores: Yama"))
        // 99 Slayer was reached between the snapshot three days ago and now.
        #expect(text.contains("99 Slayer · between <t:"))
        #expect(fields.count <= 25 && embedLength(embed) <= 6_000)
    }

    @Test func aRollbackAsTheLatestSnapshotIsShownFlaggedAndLeavesTheWeekAndAchievementsAlone() async throws {
        let (bot, history) = try await Self.clanWithHistory()
        let before = try await bot.command("player", ["rsn": "Mem Ber"], as: .member).lastText
        let achievements = try #require(before.split(separator: "\n").first { $0.hasPrefix("Achievements") })
        // The hiscores roll Slayer back below 99, then restore it: both taken live, as a batch would.
        bot.hiscores.set("Mem Ber", on: .regular, history.now.with(skill: "Slayer", xp: 12_900_000))
        _ = try await bot.services.snapshots.snapshot(name: "Mem Ber", board: .regular)
        let dipped = try await bot.command("player", ["rsn": "Mem Ber"], as: .member).lastText
        #expect(dipped.contains("↩️ The last snapshot is flagged as a hiscores rollback (Slayer fell)"), "\(dipped)")
        #expect(dipped.contains("Slayer **98** · 12.9M"))  // what the hiscores serve now
        #expect(dipped.contains("**+1.1M** xp"))  // measured to the last snapshot before the dip
        bot.hiscores.set("Mem Ber", on: .regular, history.now)
        _ = try await bot.services.snapshots.snapshot(name: "Mem Ber", board: .regular)
        let recovered = try await bot.command("player", ["rsn": "Mem Ber"], as: .member).lastText
        #expect(!recovered.contains("↩️") && recovered.contains("**+1.1M** xp"), "\(recovered)")
        #expect(recovered.contains(achievements))  // 99 Slayer is not awarded again
        #expect(recovered.components(separatedBy: "99 Slayer").count == 2)
    }

    @Test func namesTheClanDoesNotTrackAreRefusedWithoutTellingAboutOtherClans() async throws {
        let bot = try BotHarness()
        try await bot.seedClan(extraMembers: ["Ex Member"])
        let clan = try await bot.services.clans.find("iron-legion", guildID: BotHarness.guild)
        _ = try await bot.services.clans.removeMember(clanID: clan.id, name: "Ex Member")
        // A clan in another server, whose member has a snapshot.
        let other = try await bot.services.clans.create(guildID: "999", name: "Far Clan")
        _ = try await bot.services.clans.addMembers(clanID: other.id, names: ["Far Away"])
        bot.hiscores.set("Far Away", on: .regular, HiscoresFixture.Player.typical(seed: 9))
        _ = try await bot.services.snapshots.snapshot(name: "Far Away", board: .regular)

        let unknown = try await bot.command("player", ["rsn": "Not Here"], as: .member)
        #expect(unknown.lastIsEphemeral && unknown.lastText.contains("Not Here is not a member of Iron Legion"), "\(unknown.lastText)")
        let elsewhere = try await bot.command("player", ["rsn": "far away"], as: .member)
        #expect(elsewhere.lastIsEphemeral && elsewhere.lastText.contains("is not a member of Iron Legion"))
        #expect(!elsewhere.lastText.contains("Far Clan") && !elsewhere.lastText.contains("Total level"))
        let otherClan = try await bot.command("player", ["rsn": "Far Away", "clan": "far-clan"], as: .member)
        #expect(otherClan.lastIsEphemeral && otherClan.lastText.contains("There is no clan called **far-clan**"))
        let left = try await bot.command("player", ["rsn": "Ex Member"], as: .member)
        #expect(left.lastIsEphemeral && left.lastText.contains("Ex Member has left Iron Legion"))
        let invalid = try await bot.command("player", ["rsn": "bad!name"], as: .member)
        #expect(invalid.lastIsEphemeral && invalid.lastText.contains("not a RuneScape name"))
        let suggestions = try await bot.command("player", ["rsn": "mem"], as: .member, focused: "rsn")
        #expect(suggestions.choices.compactMap { $0["value"] as? String } == ["Mem Ber"])
    }

    @Test func aMemberNeverSnapshottedOrGoneFromTheHiscoresIsToldHonestly() async throws {
        let bot = try BotHarness()
        try await bot.seedClan(extraMembers: ["Gone Guy", "Never Seen"])
        let never = try await bot.command("player", ["rsn": "Lead Guy"], as: .member)
        #expect(!never.lastIsEphemeral && never.lastText.contains("No snapshot of Lead Guy yet"), "\(never.lastText)")
        #expect(never.lastText.contains("Not found on the hiscores yet"))

        // Gone Guy was found once; then a batch finds neither him nor Never Seen on the hiscores.
        _ = try await bot.services.snapshots.snapshot(name: "Gone Guy", board: .regular)
        bot.hiscores.remove("Gone Guy", from: .regular)
        bot.hiscores.remove("Never Seen", from: .regular)
        let clan = try await bot.services.clans.find("iron-legion", guildID: BotHarness.guild)
        let run = try await bot.services.batches.start(clanID: clan.id, requestedBy: "test").result()
        #expect(run.failedCount == 2)

        let gone = try await bot.command("player", ["rsn": "Gone Guy"], as: .member).lastText
        #expect(gone.contains("❓ Not on the hiscores at the last lookup"), "\(gone)")
        #expect(gone.contains("The figures below are from the last snapshot that found it") && gone.contains("Total level"))
        let unseen = try await bot.command("player", ["rsn": "Never Seen"], as: .member).lastText
        #expect(unseen.contains("❓ Not on the hiscores at the last lookup") && unseen.contains("It was never found there."), "\(unseen)")
        #expect(unseen.contains("No snapshot of Never Seen yet"))
        // The members the batch found are listed, with the week's one snapshot.
        let found = try await bot.command("player", ["rsn": "Mem Ber"], as: .member).lastText
        #expect(found.contains("✅ On the hiscores") && found.contains("One snapshot in the last 7 days"), "\(found)")
    }

    /// The characters Discord counts toward an embed's 6,000.
    func embedLength(_ embed: [String: Any]) -> Int {
        var total = (embed["title"] as? String ?? "").count + (embed["description"] as? String ?? "").count
        total += ((embed["footer"] as? [String: Any])?["text"] as? String ?? "").count
        for field in embed["fields"] as? [[String: Any]] ?? [] {
            total += (field["name"] as? String ?? "").count + (field["value"] as? String ?? "").count
        }
        return total
    }
}
