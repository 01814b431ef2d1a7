import Bot
import Discord
import Domain
import Foundation
import Services
import Testing
import TestSupport

/// The README's "Setting up a clan" and a contest, played through the bot exactly as Discord drives it,
/// reading every reply as the clan would see it.
@Suite struct ClanJourneyTests {
    /// Every reply's text, to check the whole journey for jargon. CLANBOT_PRINT_JOURNEY=1 prints each reply as the clan sees it.
    final class Transcript: Sendable {
        let texts = LockedValue<[String]>([])

        @discardableResult
        func record(_ label: String, _ exchange: Exchange) -> Exchange {
            let text = exchange.allText
            texts.withLock { $0.append(text) }
            if ProcessInfo.processInfo.environment["CLANBOT_PRINT_JOURNEY"] != nil {
                print("===== \(label) (callback \(exchange.callbackType ?? -1), ephemeral \(exchange.lastIsEphemeral))\n\(text)")
            }
            return exchange
        }
    }

    /// A player on the regular board with only these rows ranked (everything else unranked).
    static func player(_ skills: [String: Int64], _ activities: [String: Int] = [:]) -> HiscoresFixture.Player {
        var player = HiscoresFixture.Player.unranked
        for (name, xp) in skills { player = player.with(skill: name, xp: xp) }
        for (name, score) in activities { player = player.with(activity: name, score: score) }
        return player
    }

    /// `/clan link rsn:… user:@someone` (a user option carries a snowflake).
    static func linkFor(_ bot: BotHarness, rsn: String, user: TestUser, as invoker: TestUser) async throws -> Exchange {
        let data: [String: Any] = ["id": "1", "name": "clan", "type": 1, "options": [["name": "link", "type": 1, "options": [
            ["name": "rsn", "type": 3, "value": rsn], ["name": "user", "type": 6, "value": user.id]]]]]
        return try await bot.send(type: 2, data: data, user: invoker)
    }

    /// End to end over loopback HTTP: the REST client reaches the fake Discord through libcurl, as in production.
    @Test func aClanFromCreationToAFairDraw() async throws {
        let bot = try BotHarness(discordOverHTTP: true)
        let admin = TestUser.serverManager  // Manage Server; plays the clan's leader, Lead Guy
        let log = Transcript()

        // 1. Someone with Manage Server creates the clan.
        let created = log.record("clan create", try await bot.command("clan create", ["name": "Iron Foundry", "timezone": "Europe/London"], as: admin))
        #expect(created.lastText.contains("🏰 Iron Foundry is ready"))
        #expect(created.lastText.contains("Europe/London"))

        // 2. The roster: the leader and an officer by the admin; the officer links and is verified; members by the officer.
        log.record("clan add leader", try await bot.command("clan add", ["rsn": "Lead Guy", "role": "leader"], as: admin))
        let officerAdded = log.record("clan add officer", try await bot.command("clan add", ["rsn": "Offi Sir", "role": "officer"], as: admin))
        #expect(officerAdded.lastText.contains("✅ Offi Sir joined Iron Foundry"))
        #expect(officerAdded.lastText.contains("Role: **officer**"))
        let adminLink = log.record("clan link admin", try await bot.command("clan link", ["rsn": "Lead Guy"], as: admin))
        #expect(adminLink.lastIsEphemeral)
        #expect(adminLink.lastText.contains("You are linked to **Lead Guy** in **Iron Foundry** as a **leader**."))
        let claim = log.record("clan link officer", try await bot.command("clan link", ["rsn": "Offi Sir"], as: .officer))
        #expect(claim.lastIsEphemeral)
        #expect(claim.lastText.contains("as a **member** for now: the link is not verified yet"))
        #expect(claim.lastText.contains("**Offi Sir** is an officer"))
        #expect(claim.lastText.contains("A leader or officer verifies it"))
        let unverified = log.record("clan add before verification", try await bot.command("clan add", ["rsn": "Mem Ber"], as: .officer))
        #expect(unverified.lastIsEphemeral)
        #expect(unverified.lastText.contains("Only leaders and officers of **Iron Foundry**"))
        #expect(unverified.lastText.contains("you are linked as a member"))
        let verified = log.record("clan link verified", try await Self.linkFor(bot, rsn: "Offi Sir", user: .officer, as: admin))
        #expect(verified.lastText.contains("<@202> is linked to **Offi Sir** in **Iron Foundry** as an **officer**."))
        for rsn in ["Mem Ber", "Ghost Acct", "Iron Maid"] {
            let added = log.record("clan add \(rsn)", try await bot.command("clan add", ["rsn": rsn], as: .officer))
            #expect(added.lastText.contains("✅ \(rsn) joined Iron Foundry"))
        }
        let memberLink = log.record("clan link member", try await bot.command("clan link", ["rsn": "mem ber"], as: .member))
        #expect(memberLink.lastText.contains("You are linked to **Mem Ber** in **Iron Foundry** as a **member** for now"))
        #expect(!memberLink.lastText.contains("is a member;"))
        let roster = log.record("clan members", try await bot.command("clan members", as: .member))
        #expect(roster.lastText.contains("👥 Iron Foundry — 5 members"))
        #expect(roster.lastText.contains("Members\nGhost Acct\nIron Maid\nMem Ber"))

        // 3. The schedule: every day at 18:00 London time.
        let schedule = log.record("schedule set", try await bot.command("schedule set", ["cron": "0 18 * * *"], as: .officer))
        #expect(schedule.lastText.contains("🗓️ Schedule saved · Iron Foundry"))
        let shown = log.record("schedule show", try await bot.command("schedule show", as: .member))
        #expect(shown.lastText.contains("`0 18 * * *` (Europe/London)"))
        #expect(shown.lastText.contains("never ran"))
        let next = try #require(try await bot.services.schedules.schedule(clanID: 1)?.nextRunAt)
        #expect(shown.lastText.contains("<t:\(Int64(next.timeIntervalSince1970)):f> (<t:\(Int64(next.timeIntervalSince1970)):R>)"))
        var london = Calendar(identifier: .gregorian)
        london.timeZone = try #require(TimeZone(identifier: "Europe/London"))
        #expect(london.component(.hour, from: next) == 18 && london.component(.minute, from: next) == 0)

        // 4. The first run: Ghost Acct is on no board, so the run is partial and says why, per member.
        bot.hiscores.set("Lead Guy", on: .regular, Self.player(["Attack": 1_000_000, "Slayer": 2_000_000],
                                                               ["Zulrah": 100, "Clue Scrolls (hard)": 10, "Clue Scrolls (all)": 50]))
        bot.hiscores.set("Offi Sir", on: .regular, Self.player(["Attack": 500_000, "Slayer": 1_500_000],
                                                               ["Zulrah": 50, "Clue Scrolls (hard)": 5, "Clue Scrolls (all)": 20]))
        bot.hiscores.set("Mem Ber", on: .regular, Self.player(["Attack": 200_000, "Slayer": 300_000], ["Clue Scrolls (all)": 3]))
        bot.hiscores.set("Iron Maid", on: .regular, Self.player(["Attack": 13_034_431, "Slayer": 13_034_431], ["Zulrah": 500]))
        let first = log.record("snapshot run 1", try await bot.command("snapshot run", as: .officer))
        #expect(first.callbackType == 5)
        let panel = first.lastText
        #expect(panel.contains("⚠️ **partial** · 5/5 done · 1 failed"))
        #expect(panel.contains("· by <@202>"))
        #expect(panel.contains("**Ghost Acct** — Ghost Acct is not on the regular hiscores. Check the spelling"))
        #expect(panel.contains("✅ Snapshotted\nIron Maid ·"))
        #expect(panel.contains("each member's own hiscores board"))

        // 5. Time passes: everyone but Iron Maid gains (Ghost Acct still missing).
        //    Lead Guy: Attack +200,000 (73→74), Slayer +150,000 (80), Zulrah +20, hard clues +2, all clues +5: 350K xp, +1 level.
        //    Offi Sir: Attack +200,000 (66→69), Slayer +100,000 (77), Zulrah +20, hard +2, all +4: 300K xp, +3 levels.
        //    Mem Ber: Attack +50,000 (56→59): 50K xp, +3 levels. Iron Maid: nothing.
        bot.hiscores.set("Lead Guy", on: .regular, Self.player(["Attack": 1_200_000, "Slayer": 2_150_000],
                                                               ["Zulrah": 120, "Clue Scrolls (hard)": 12, "Clue Scrolls (all)": 55]))
        bot.hiscores.set("Offi Sir", on: .regular, Self.player(["Attack": 700_000, "Slayer": 1_600_000],
                                                               ["Zulrah": 70, "Clue Scrolls (hard)": 7, "Clue Scrolls (all)": 24]))
        bot.hiscores.set("Mem Ber", on: .regular, Self.player(["Attack": 250_000, "Slayer": 300_000], ["Clue Scrolls (all)": 3]))
        log.record("snapshot run 2", try await bot.command("snapshot run", as: .officer))

        let xp = log.record("leaderboard xp", try await bot.command("leaderboard", ["metric": "xp_gained"], as: .member)).lastText
        #expect(xp.contains("🏆 XP gained · last 7 days"))
        #expect(xp.contains("🥇 **Lead Guy** — 350K xp *\n🥈 **Offi Sir** — 300K xp *\n🥉 **Mem Ber** — 50K xp *\n`#4` **Iron Maid** — 0 xp *"))
        #expect(xp.contains("No data in window\nGhost Acct"))
        #expect(xp.contains("* counted from their first snapshot in the window"))
        let levels = log.record("leaderboard levels", try await bot.command("leaderboard", ["metric": "levels_gained"], as: .member)).lastText
        #expect(levels.contains("🥇 **Mem Ber** — 3 lvl *\n🥇 **Offi Sir** — 3 lvl *\n🥉 **Lead Guy** — 1 lvl *"))
        let attack = log.record("leaderboard attack", try await bot.command("leaderboard", ["metric": "skill_xp", "skill": "Attack"], as: .member)).lastText
        #expect(attack.contains("🏆 Attack XP gained · last 7 days"))
        #expect(attack.contains("🥇 **Lead Guy** — 200K xp *\n🥇 **Offi Sir** — 200K xp *\n🥉 **Mem Ber** — 50K xp *"))
        let zulrah = log.record("leaderboard zulrah", try await bot.command("leaderboard", ["metric": "boss_kc", "boss": "zulrah"], as: .member)).lastText
        #expect(zulrah.contains("🏆 Zulrah kills · last 7 days"))
        #expect(zulrah.contains("🥇 **Lead Guy** — 20 kc *\n🥇 **Offi Sir** — 20 kc *\n`#3` **Iron Maid** — 0 kc *\n`#3` **Mem Ber** — 0 kc *"))
        let hard = log.record("leaderboard hard clues", try await bot.command("leaderboard", ["metric": "clues", "tier": "hard"], as: .member)).lastText
        #expect(hard.contains("🏆 Hard clues completed · last 7 days"))
        #expect(hard.contains("🥇 **Lead Guy** — 2 clues *\n🥇 **Offi Sir** — 2 clues *"))
        let clues = log.record("leaderboard clues", try await bot.command("leaderboard", ["metric": "clues"], as: .member)).lastText
        #expect(clues.contains("🥇 **Lead Guy** — 5 clues *\n🥈 **Offi Sir** — 4 clues *"))
        let custom = log.record("leaderboard custom", try await bot.command("leaderboard", ["metric": "xp_gained", "start": "2026-11-01", "end": "2026-11-30"], as: .member))
        #expect(custom.lastText.contains("🏆 XP gained · 2026-11-01 – 2026-11-30"))
        // The window ends at midnight starting 1 December (London = UTC in winter); its last day is 30 November.
        #expect(custom.lastText.contains("<t:1793491200:d> – <t:1796083199:d>"))

        let noSkill = log.record("leaderboard without skill", try await bot.command("leaderboard", ["metric": "skill_xp"], as: .member))
        #expect(noSkill.lastIsEphemeral)
        #expect(noSkill.lastText.contains("fill in the `skill` option"))
        let bossTypo = log.record("leaderboard boss typo", try await bot.command("leaderboard", ["metric": "boss_kc", "boss": "Zulra"], as: .member))
        #expect(bossTypo.lastIsEphemeral)
        #expect(bossTypo.lastText.contains("No boss called 'Zulra' appears in **Iron Foundry**'s snapshots. Did you mean Zulrah?"))

        let stats = log.record("stats mtd", try await bot.command("stats", ["timeframe": "mtd"], as: .member)).lastText
        #expect(stats.contains("📊 Iron Foundry · month to date"))
        #expect(stats.contains("**700K** xp · **7** levels gained"))
        #expect(stats.contains("4/5 members with data"))
        #expect(stats.contains("🥇 **Lead Guy** — 350K xp, 1 lvl *\n🥈 **Offi Sir** — 300K xp, 3 lvl *\n🥉 **Mem Ber** — 50K xp, 3 lvl *"))
        #expect(stats.contains("Attack **450K**\nSlayer **250K**"))
        #expect(stats.contains("Zulrah **40**"))
        #expect(stats.contains("all tiers **9** · hard **4**"))
        #expect(stats.contains("😴 No gains\nIron Maid"))
        #expect(stats.contains("❔ No data in window\nGhost Acct"))

        let gains = log.record("gains", try await bot.command("gains", ["rsn": "Lead Guy"], as: .member)).lastText
        #expect(gains.contains("📈 Lead Guy · last 7 days"))
        #expect(gains.contains("**+350K** xp · **+1** level\n"))
        #expect(gains.contains("Attack +200K (73→74)\nSlayer +150K"))
        #expect(gains.contains("Zulrah +20"))
        #expect(gains.contains("all tiers +5 · hard +2"))

        let info = log.record("clan info", try await bot.command("clan info", as: .member)).lastText
        #expect(info.contains("1 leader · 1 officer · 3 members"))
        #expect(info.contains("⚠️ partial 4/5"))
        #expect(info.contains("**700K** xp · **7** levels"))

        // 6. A contest: 100K Slayer xp = 1 entry, 10 Zulrah kills = 2 entries.
        let end = Date() + 3600
        let draft = log.record("contest create", try await bot.command("contest create", [
            "name": "Slayer Week", "start": "now", "end": end.formatted(.iso8601), "randomness": "none", "prize": "50M gp",
        ], as: .officer))
        #expect(draft.lastText.contains("Draft **Slayer Week** created"))
        let noTarget = log.record("contest rule without targets", try await bot.command("contest rule", [
            "contest": "Slayer Week", "type": "skill_xp", "threshold": 100_000,
        ], as: .officer))
        #expect(noTarget.lastIsEphemeral)
        #expect(noTarget.lastText.contains("This rule type needs at least one skill in `targets` (e.g. targets:Slayer)"))
        let typo = log.record("contest rule with a typo", try await bot.command("contest rule", [
            "contest": "Slayer Week", "type": "boss_kc", "targets": "Zulra", "threshold": 10,
        ], as: .officer))
        #expect(typo.lastIsEphemeral)
        #expect(typo.lastText.contains("There is no boss called 'Zulra' on the hiscores. Did you mean Zulrah?"))
        log.record("contest rule 1", try await bot.command("contest rule", [
            "contest": "Slayer Week", "type": "skill_xp", "targets": "slayer", "threshold": 100_000,
        ], as: .officer))
        let rules = log.record("contest rule 2", try await bot.command("contest rule", [
            "contest": "Slayer Week", "type": "boss_kc", "targets": "Zulrah", "threshold": 10, "weight": 2,
        ], as: .officer)).lastText
        #expect(rules.contains("1. **100K Slayer xp** — gain 100,000 xp in Slayer\n2. **10 Zulrah kills** — kill Zulrah 10 times (×2 entries)"))
        let activated = log.record("contest activate", try await bot.command("contest activate", ["contest": "Slayer Week"], as: .officer))
        #expect(activated.lastText.contains("**Slayer Week** is active"))

        // During the contest: Lead Guy +150,000 Slayer (1 entry), +5 Zulrah; Offi Sir +50,000 Slayer, +20 Zulrah (2 entries).
        bot.hiscores.set("Lead Guy", on: .regular, Self.player(["Attack": 1_200_000, "Slayer": 2_300_000],
                                                               ["Zulrah": 125, "Clue Scrolls (hard)": 12, "Clue Scrolls (all)": 55]))
        bot.hiscores.set("Offi Sir", on: .regular, Self.player(["Attack": 700_000, "Slayer": 1_650_000],
                                                               ["Zulrah": 90, "Clue Scrolls (hard)": 7, "Clue Scrolls (all)": 24]))
        // A member who joins during the contest has no snapshot from before its start: excluded, and told so.
        log.record("clan add Late Comer", try await bot.command("clan add", ["rsn": "Late Comer"], as: .officer))
        bot.hiscores.set("Late Comer", on: .regular, Self.player(["Attack": 5_000_000, "Slayer": 5_000_000]))
        log.record("snapshot run during the contest", try await bot.command("snapshot run", as: .officer))
        let standings = log.record("contest standings", try await bot.command("contest standings", ["contest": "Slayer Week"], as: .member)).lastText
        #expect(standings.contains("🥇 **Offi Sir** — 2 tickets · 1. needs 50,000 more Slayer xp; 2. done: 2 entries"), "\(standings)")
        #expect(standings.contains("🥈 **Lead Guy** — 1 ticket · 1. done: 1 entry; 2. needs 5 more kills of Zulrah"))
        #expect(standings.contains("Not taking part\nGhost Acct — no snapshot at all, so gains cannot be measured"))
        #expect(standings.contains("Late Comer — no snapshot at or before the start (the first is from <t:"))
        #expect(standings.contains("**So far**: snapshots of <t:"))

        let early = log.record("contest end too early", try await bot.command("contest end", ["contest": "Slayer Week"], as: .officer))
        #expect(early.lastIsEphemeral)
        let endsAt = Int64(end.timeIntervalSince1970)
        #expect(early.lastText.contains("**Slayer Week** runs until <t:\(endsAt):f> (<t:\(endsAt):R>); it cannot end before then."))
        bot.contestClockOffset.withLock { $0 = 7200 }
        let ended = log.record("contest end", try await bot.command("contest end", ["contest": "Slayer Week"], as: .officer))
        #expect(ended.lastText.contains("**N = 3** tickets from 2 members"))
        #expect(ended.lastText.contains("Offi Sir ×2 · Lead Guy ×1"))

        let memberDraw = log.record("contest draw by a member", try await bot.command("contest draw", ["contest": "Slayer Week"], as: .member))
        #expect(memberDraw.callbackType == 4)
        #expect(memberDraw.lastIsEphemeral)
        #expect(memberDraw.lastText.contains("⛔ Only a leader of **Iron Foundry** (or members with the Manage Server permission) can draw a contest"))
        let drawn = log.record("contest draw", try await bot.command("contest draw", ["contest": "Slayer Week"], as: admin))
        #expect(drawn.allText.contains("🎉 The draw is done."))
        let draw = try #require(try await bot.environment.contests.detail(contestID: 1).draw)
        let winner = try #require(draw.winners.first)
        #expect(["Offi Sir", "Lead Guy"].contains(winner.displayName))
        // entries.txt is "lead guy", "offi sir", "offi sir": the winner's line holds their name.
        #expect(winner.displayName == (winner.ticketIndex == 0 ? "Lead Guy" : "Offi Sir"))
        #expect(drawn.allText.contains("🥇 **\(winner.displayName)** (line \(winner.ticketIndex + 1) of `entries.txt`)"))
        let again = log.record("contest draw again", try await bot.command("contest draw", ["contest": "Slayer Week"], as: admin))
        #expect(again.allText.contains("already drawn"))
        #expect(again.allText.contains("🥇 **\(winner.displayName)** (line \(winner.ticketIndex + 1) of `entries.txt`)"))
        #expect(again.allText.contains(draw.proof.secret))
        let verification = log.record("contest verify", try await bot.command("contest verify", ["contest": "Slayer Week"], as: .member))
        #expect(verification.lastText.contains("✅ Verification · Slayer Week"))
        #expect(!verification.lastText.contains("❌"))
        let list = log.record("contest list", try await bot.command("contest list", as: .member)).lastText
        #expect(list.contains("🏆 drawn · ended <t:"))

        // 7. A webhook, and the next run posting to it.
        let posts = LockedValue<[HTTPTestRequest]>([])
        let hook = try HTTPTestServer { request in
            posts.withLock { $0.append(request) }
            return .status(204)
        }
        defer { hook.stop() }
        let added = log.record("webhook add", try await bot.command("webhook add", [
            "url": hook.baseURL + "/clan-hook", "provider": "custom", "events": "snapshot.finished",
        ], as: admin))
        #expect(added.lastIsEphemeral)
        #expect(added.lastText.contains("🪝 Webhook #1 added"))
        #expect(!added.lastText.contains("/clan-hook\n"))
        log.record("snapshot run with a webhook", try await bot.command("snapshot run", as: .officer))
        let post = try #require(posts.value.first)
        #expect(posts.value.count == 1)
        #expect(post.headers["X-Clanbot-Signature"]?.hasPrefix("v1=") == true)
        let body = try #require(try JSONSerialization.jsonObject(with: post.body) as? [String: Any])
        #expect(body["event"] as? String == "snapshot.finished")
        #expect(body["description"] as? String == "Iron Foundry: 5 of 6 members snapshotted (1 failed).")
        let fields = body["fields"] as? [[String: Any]] ?? []
        #expect(fields.contains { $0["name"] as? String == "Failed" && $0["value"] as? String == "Ghost Acct: not on the hiscores" })
        let hooks = log.record("webhook list", try await bot.command("webhook list", as: admin))
        #expect(hooks.lastText.contains("✅ HTTP 204"))

        // Nothing the clan saw speaks the code's language.
        let everything = log.texts.value.joined(separator: "\n")
        for jargon in ["Optional(", "not_found", "xp_gained", "skill_xp", "boss_kc", "levels_gained", "--skill", "--boss",
                       "a officer", "a activity", "nil", "Error(", "ticket 0", "offi sir ×"] {
            #expect(!everything.contains(jargon), "the clan saw \(jargon)")
        }
        #expect(everything.range(of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"#, options: .regularExpression) == nil, "raw ISO times instead of Discord timestamps")
        #expect(bot.logs.value.isEmpty, "\(bot.logs.value)")
    }

    @Test func refusalsSayWhoMayAndWhatToDoNext() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let stranger = try await bot.command("clan add", ["rsn": "New Guy"], as: .outsider)
        #expect(stranger.lastIsEphemeral)
        #expect(stranger.lastText.contains("you have no linked account in this clan. Link yours with `/clan link`"))
        let member = try await bot.command("schedule set", ["cron": "0 18 * * *"], as: .member)
        #expect(member.lastText.contains("you are linked as a member. If your account holds a higher role, a leader or officer verifies your link"))
        // A verified officer needs no advice about linking: only who may.
        let now = Date()
        _ = try await bot.command("contest create", ["name": "Boss Week", "start": "now", "end": (now + 3600).formatted(.iso8601)], as: .officer)
        let cancel = try await bot.command("contest cancel", ["contest": "Boss Week", "reason": "rained out"], as: .officer)
        #expect(cancel.lastIsEphemeral)
        #expect(cancel.lastText.hasSuffix("can cancel a contest; you are linked as an officer."))
        #expect(!cancel.lastText.contains("/clan link"))

        // A boss newer than clanbot's row list is accepted once the hiscores served it, spelled as they spell it.
        bot.hiscores.set("Mem Ber", on: .regular, HiscoresFixture.Player.typical(seed: 3).with(activity: "Sol Heredit Jr", score: 7))
        _ = try await bot.command("snapshot run", as: .officer)
        let newBoss = try await bot.command("contest rule", ["contest": "Boss Week", "type": "boss_kc", "targets": "sol heredit jr", "threshold": 5], as: .officer)
        #expect(newBoss.lastText.contains("1. **5 Sol Heredit Jr kills** — kill Sol Heredit Jr 5 times"))

        let badName = try await bot.command("clan add", ["rsn": "Bad$Name"], as: .officer)
        #expect(badName.lastIsEphemeral)
        #expect(badName.lastText == #"⚠️ "Bad$Name" contains "$"; RuneScape names use only letters, digits, spaces, hyphens and underscores."#)

        // A contest cannot be edited once created, so an end already past is refused at once.
        let past = try await bot.command("contest create", ["name": "Old News", "start": "2020-01-01", "end": "2020-02-01"], as: .officer)
        #expect(past.lastIsEphemeral)
        #expect(past.lastText.contains("`end` (<t:1580515200:f>) is already past"))
        #expect(try await bot.environment.contests.list(clanID: 1).map(\.name) == ["Boss Week"])
    }
}
