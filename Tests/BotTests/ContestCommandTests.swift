import Bot
import Cryptography
import Discord
import Domain
import Foundation
import Services
import Testing
import TestSupport

/// A contest from draft to draw through the commands and the Draw button, with its webhook announcements.
@Suite struct ContestCommandTests {
    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    @Test func fromDraftToDrawWithPermissionsIdempotenceAndAnnouncements() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        let posts = LockedValue<[String]>([])
        let hook = try HTTPTestServer { request in
            if let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any], let event = body["event"] as? String {
                posts.withLock { $0.append(event) }
            }
            return .status(204)
        }
        defer { hook.stop() }
        _ = try await bot.environment.webhooks.add(clanID: clan.id, url: hook.baseURL + "/h", provider: .custom,
                                                   events: "contest.activated,contest.ended,contest.drawn")
        _ = try await bot.command("snapshot run", as: .leader)

        let now = Date()
        let memberCreate = try await bot.command("contest create", ["name": "Summer XP", "start": Self.iso(now), "end": Self.iso(now + 3600)], as: .member)
        #expect(memberCreate.lastText.contains("can create contests"))
        let created = try await bot.command("contest create", [
            "name": "Summer XP", "start": "now", "end": Self.iso(now + 3600), "randomness": "none", "prize": "99 bonds",
        ], as: .officer)
        #expect(created.lastText.contains("Draft **Summer XP** created"))
        #expect(created.lastText.contains("prize: **99 bonds**"))
        let contest = try #require(try await bot.environment.contests.list(clanID: clan.id).first)

        let rule = try await bot.command("contest rule", ["contest": String(contest.id), "type": "total_xp", "threshold": 1], as: .officer)
        #expect(rule.lastText.contains("1. **1 total xp**"))
        let activated = try await bot.command("contest activate", ["contest": "Summer XP"], as: .officer)
        #expect(activated.lastText.contains("is active"))
        #expect(activated.lastText.contains("SHA-256(secret) `"))

        bot.grow(BotHarness.core, by: 1.2)
        _ = try await bot.command("snapshot run", as: .leader)
        let standings = try await bot.command("contest standings", ["contest": String(contest.id)], as: .member)
        #expect(standings.lastText.contains("🥇 **Lead Guy** — 1 ticket"), "\(standings.lastText)")

        let early = try await bot.command("contest draw", ["contest": String(contest.id)], as: .leader)
        #expect(early.lastText.contains("Cannot draw a contest that is active"))
        let tooSoon = try await bot.command("contest end", ["contest": String(contest.id)], as: .officer)
        #expect(tooSoon.lastText.contains("it cannot end before then"))

        bot.contestClockOffset.withLock { $0 = 7200 }
        let ended = try await bot.command("contest end", ["contest": String(contest.id)], as: .officer)
        #expect(ended.lastText.contains("**N = 3** tickets"))
        let drawID = "contest.draw|\(clan.id)|\(contest.id)"
        #expect(Exchange.customIDs(ended.last) == [drawID])

        let memberDraw = try await bot.command("contest draw", ["contest": String(contest.id)], as: .member)
        #expect(memberDraw.lastIsEphemeral)
        #expect(memberDraw.lastText.contains("Only a leader of **Iron Legion**"))
        let officerPress = try await bot.press(drawID, as: .officer)
        #expect(officerPress.callbackType == 4)
        #expect(officerPress.lastIsEphemeral)
        #expect(officerPress.lastText.contains("draw a contest"))

        let press = try await bot.press(drawID, as: .leader)
        #expect(press.callbackType == 7)
        #expect(Exchange.text(press.messages[0]).contains("Drawing…"))
        #expect(press.edits.count == 1)
        let drawn = Exchange.text(press.json(press.edits[0]))
        #expect(drawn.contains("The draw is done"))
        #expect(drawn.contains("Winners"))
        #expect(drawn.contains("Revealed secret"))
        #expect(drawn.contains("Check the draw yourself"))
        #expect(press.allText.contains("Proof of contest #\(contest.id)"))

        let again = try await bot.command("contest draw", ["contest": String(contest.id)], as: .leader)
        #expect(again.lastText.contains("already drawn") || again.allText.contains("already drawn"))
        let first = try #require(try await bot.environment.contests.detail(contestID: contest.id).draw)
        #expect(again.allText.contains("**\(first.winners[0].displayName)**"))
        #expect(again.allText.contains(first.proof.secret))
        #expect(drawn.contains(first.proof.secret))

        let entries = try await bot.command("contest entries", ["contest": String(contest.id)], as: .member)
        #expect(entries.requests.count == 1)
        #expect(entries.callbackType == 4)
        #expect(entries.requests.first?.headers["Content-Type"]?.hasPrefix("multipart/form-data; boundary=") == true)
        let published = try #require(try await bot.environment.contests.detail(contestID: contest.id).entries?.digest)
        #expect(entries.lastText.contains("N = 3"))
        #expect(entries.lastText.contains(published))
        #expect(!entries.lastText.contains("```"))
        #expect((entries.last["attachments"] as? [[String: Any]])?.first?["filename"] as? String == "entries.txt")
        #expect((entries.last["attachments"] as? [[String: Any]])?.first?["id"] as? Int == 0)
        let upload = try #require(entries.files.first)
        #expect(entries.files.count == 1)
        #expect(upload.name == "files[0]" && upload.filename == "entries.txt")
        #expect(Digest.sha256(upload.data).hexString == published)
        let file = try await bot.environment.contests.entriesFile(contestID: contest.id)
        #expect([UInt8](upload.data) == file)
        let verify = try await bot.command("contest verify", ["contest": String(contest.id)], as: .member)
        #expect(verify.lastText.contains("✅ Verification · Summer XP"))
        let list = try await bot.command("contest list", as: .member)
        #expect(list.lastText.contains("#\(contest.id) Summer XP"))
        let show = try await bot.command("contest show", ["contest": String(contest.id)], as: .member)
        #expect(show.lastText.contains("🏆 **drawn**") || show.allText.contains("🏆 **drawn**"))

        #expect(posts.value == ["contest.activated", "contest.ended", "contest.drawn"])
        #expect(bot.logs.value.filter { $0.contains("webhook") || $0.contains("publish") }.isEmpty, "\(bot.logs.value)")
    }

    @Test func aDraftCanBeEditedUntilItIsActivated() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        let now = Date()
        _ = try await bot.command("contest create", ["name": "Sumer XP", "start": "now", "end": Self.iso(now + 3600), "prize": "1 bond"], as: .officer)
        let contest = try #require(try await bot.environment.contests.list(clanID: clan.id).first)
        let id = String(contest.id)
        _ = try await bot.command("contest rule", ["contest": id, "type": "total_xp", "threshold": 1], as: .officer)
        _ = try await bot.command("contest rule", ["contest": id, "type": "skill_xp", "targets": "Slayer", "threshold": 5], as: .officer)

        let member = try await bot.command("contest edit", ["contest": id, "name": "Mine now"], as: .member)
        #expect(member.lastText.contains("can edit contests"))
        let nothing = try await bot.command("contest edit", ["contest": id], as: .officer)
        #expect(nothing.lastText.contains("Nothing to change"))
        let badWindow = try await bot.command("contest edit", ["contest": id, "end": Self.iso(now - 7200), "start": Self.iso(now - 9000)], as: .officer)
        #expect(badWindow.lastText.contains("already past"))
        let noRule = try await bot.command("contest edit", ["contest": id, "name": "Summer XP", "remove_rule": 9], as: .officer)
        #expect(noRule.lastIsEphemeral)
        // Refused as a whole: the name did not change either.
        #expect(try await bot.environment.contests.detail(contestID: contest.id).contest.name == "Sumer XP")

        let edited = try await bot.command("contest edit", [
            "contest": id, "name": "Summer XP", "end": Self.iso(now + 7200), "prize": "-", "winners": 2, "remove_rule": 2,
        ], as: .officer)
        #expect(edited.lastText.contains("Draft **Summer XP** updated."))
        #expect(edited.lastText.contains("2 winners"))
        #expect(!edited.lastText.contains("prize"))
        #expect(edited.lastText.contains("1. **1 total xp**"))
        #expect(!edited.lastText.contains("Slayer"))
        let stored = try await bot.environment.contests.detail(contestID: contest.id).contest
        #expect(abs(stored.endAt.timeIntervalSince(now + 7200)) < 1)  // typed to the second
        #expect(stored.prize == nil)

        _ = try await bot.command("contest activate", ["contest": id], as: .officer)
        let late = try await bot.command("contest edit", ["contest": id, "name": "Winter XP"], as: .officer)
        #expect(late.lastIsEphemeral)
        #expect(late.lastText.contains("Cannot edit a contest that is active"))
    }

    @Test func contestAutocompleteAndUnknownContests() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        let now = Date()
        _ = try await bot.command("contest create", ["name": "Boss Week", "start": Self.iso(now), "end": Self.iso(now + 86_400)], as: .leader)
        let choices = try await bot.command("contest show", ["contest": "boss"], as: .member, focused: "contest")
        #expect((choices.choices.first?["name"] as? String)?.contains("Boss Week · draft") == true)
        let targets = try await bot.command("contest rule", ["contest": "1", "type": "boss_kc", "targets": "Zulrah, vork"], as: .officer, focused: "targets")
        #expect(targets.choices.first?["value"] as? String == "Zulrah, Vorkath")
        let unknown = try await bot.command("contest show", ["contest": "999"], as: .member)
        #expect(unknown.lastText.contains("no contest #999"))
        let byName = try await bot.command("contest show", ["contest": "Nope"], as: .member)
        #expect(byName.lastText.contains("no contest called **Nope**"))
        _ = clan
    }
}
