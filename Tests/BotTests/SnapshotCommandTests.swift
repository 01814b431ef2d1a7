import Bot
import Discord
import Domain
import Foundation
import Services
import Testing
import TestSupport

@Suite struct SnapshotCommandTests {
    @Test func aRunIsDeferredThenTheJobsPanelIsEditedUntilItShowsEveryMember() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan(extraMembers: ["Ghost Acct"])
        bot.hiscores.remove("Ghost Acct", from: .regular)  // on no board: a not_found member

        let run = try await bot.command("snapshot run", as: .officer)
        #expect(run.callbackType == 5)
        #expect(run.edits.count >= 1)
        let final = run.last
        let text = Exchange.text(final)
        #expect(text.contains("Snapshot run · Iron Legion"))
        #expect(text.contains("**partial** · 4/4 done · 1 failed"))
        #expect(text.contains("**Ghost Acct** — Ghost Acct is not on the regular hiscores"))
        #expect(text.contains("Lead Guy ·"))
        #expect(text.contains("by <@202>"))
        let jobID = try #require(Exchange.customIDs(final).first?.split(separator: "|").last.map(String.init))
        #expect(Exchange.customIDs(final) == ["jobs.refresh|\(jobID)"])
        let recent = try await bot.services.batches.recent(clanID: clan.id)
        #expect(recent.first?.jobID == jobID)

        // Refresh answers by replacing the panel (type 7); anyone may press it.
        let refresh = try await bot.press("jobs.refresh|\(jobID)", as: .outsider)
        #expect(refresh.callbackType == 7)
        #expect(refresh.lastText.contains("4/4 done"))

        // /snapshot status without a job shows the latest.
        let status = try await bot.command("snapshot status", as: .member)
        #expect(status.callbackType == 4)
        #expect(status.lastText.contains("job \(jobID)"))
        let unknown = try await bot.command("snapshot status", ["job": "ffffffffffffffff"], as: .member)
        #expect(unknown.lastIsEphemeral)
        #expect(unknown.lastText.contains("no snapshot job `ffffffffffffffff`"))
    }

    @Test func membersMayNotRunSnapshotsAndTheButtonIsCheckedWhenPressed() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        let refused = try await bot.command("snapshot run", as: .member)
        #expect(refused.callbackType == 4)
        #expect(refused.lastIsEphemeral)
        #expect(refused.lastText.contains("Only leaders and officers of **Iron Legion**"))
        #expect(try await bot.services.batches.recent(clanID: clan.id).isEmpty)

        let pressedByMember = try await bot.press("snap.run|\(clan.id)", as: .member)
        #expect(pressedByMember.callbackType == 4)
        #expect(pressedByMember.lastIsEphemeral)
        #expect(pressedByMember.lastText.contains("can run snapshots"))
        #expect(try await bot.services.batches.recent(clanID: clan.id).isEmpty)

        let pressedByOfficer = try await bot.press("snap.run|\(clan.id)", as: .officer)
        #expect(pressedByOfficer.callbackType == 5)
        #expect(pressedByOfficer.lastText.contains("**succeeded** · 3/3 done"))
        #expect(try await bot.services.batches.recent(clanID: clan.id).count == 1)
    }

    @Test func aButtonOfAnotherServersClanIsRefused() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let foreign = try await bot.services.clans.create(guildID: "999", name: "Elsewhere")
        let pressed = try await bot.press("snap.run|\(foreign.id)", as: .serverManager)
        #expect(pressed.lastIsEphemeral)
        #expect(pressed.lastText.contains("no clan called **#\(foreign.id)**"))
        let garbage = try await bot.press("snap.run|abc", as: .leader)
        #expect(garbage.lastText.contains("could not be read"))
    }

    @Test func aPlayerLookupShowsTheirSkillsAndAnUnknownRSNIsExplained() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let player = try await bot.command("snapshot player", ["rsn": "Mem Ber", "board": "regular"], as: .member)
        #expect(player.callbackType == 5)
        #expect(player.lastText.contains("📜 Mem Ber"))
        #expect(player.lastText.contains("Total level"))
        #expect(player.lastText.contains("Top skills"))

        let unknown = try await bot.command("snapshot player", ["rsn": "Nobody Here", "board": "regular"], as: .member)
        #expect(unknown.lastText.contains("Nobody Here is not on the regular hiscores"))
        // Deferred publicly, so the public "thinking…" is deleted and the error goes to the invoker alone.
        #expect(unknown.requests.map(\.method) == ["POST", "DELETE", "POST"])
        #expect(unknown.callbackType == 5)
        let token = try #require(unknown.requests.first?.path.split(separator: "/").dropLast().last)
        #expect(unknown.requests[1].path == "/webhooks/\(BotHarness.application)/\(token)/messages/@original")
        #expect(unknown.requests[2].path == "/webhooks/\(BotHarness.application)/\(token)")
        #expect(unknown.last["flags"] as? Int == 64)
        #expect(unknown.edits.isEmpty)
        let invalid = try await bot.command("snapshot player", ["rsn": "way too long a name"], as: .member)
        #expect(invalid.lastText.contains("⚠️"))
    }

    @Test func aFinishedRunIsPublishedToTheClansWebhooks() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        let received = LockedValue<[HTTPTestRequest]>([])
        let hook = try HTTPTestServer { request in
            received.withLock { $0.append(request) }
            return .status(204)
        }
        defer { hook.stop() }
        _ = try await bot.environment.webhooks.add(clanID: clan.id, url: hook.baseURL + "/hook", provider: .custom, events: "snapshot.finished")
        _ = try await bot.command("snapshot run", as: .leader)
        let posts = received.value
        #expect(posts.count == 1)
        let body = try JSONSerialization.jsonObject(with: posts.first?.body ?? Data()) as? [String: Any]
        #expect(body?["event"] as? String == "snapshot.finished")
        #expect(posts.first?.headers["X-Clanbot-Signature"] != nil)
    }
}
