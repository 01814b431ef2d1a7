import Bot
import Discord
import Domain
import Foundation
import Services
import Storage
import Testing
import TestSupport

/// Links never reach past the role of whoever makes them, and a name cannot be squatted.
@Suite struct LinkReachTests {
    /// `/clan link` or `/clan unlink` with a `user` option (a user option carries the snowflake).
    func withUser(_ bot: BotHarness, _ subcommand: String, user: TestUser, rsn: String? = nil, as invoker: TestUser) async throws -> Exchange {
        var options: [[String: Any]] = [["name": "user", "type": 6, "value": user.id]]
        if let rsn { options.append(["name": "rsn", "type": 3, "value": rsn]) }
        let data: [String: Any] = ["id": "1", "name": "clan", "type": 1, "options": [["name": subcommand, "type": 1, "options": options]]]
        return try await bot.send(type: 2, data: data, user: invoker)
    }

    @Test func anOfficerCannotRelinkTheLeaderToAnotherAccount() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        let answer = try await withUser(bot, "link", user: .leader, rsn: "Mem Ber", as: .officer)
        #expect(answer.lastIsEphemeral)
        #expect(answer.lastText.contains("⛔"))
        #expect(try await bot.environment.directory.role(ofUser: TestUser.leader.id, inClan: clan.id) == .leader)
        #expect(try await bot.environment.directory.role(ofUser: TestUser.member.id, inClan: clan.id) == .member)
    }

    @Test func aConfirmedLinkReplacesAnUnconfirmedClaim() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        _ = try await bot.command("clan add", ["rsn": "Big Boss", "role": "officer"], as: .leader)
        // Someone claims the new officer's name first.
        let squat = try await bot.command("clan link", ["rsn": "Big Boss"], as: .outsider)
        #expect(squat.lastText.contains("not verified"))
        let owner = TestUser(id: "206")
        let confirmed = try await withUser(bot, "link", user: owner, rsn: "Big Boss", as: .leader)
        #expect(confirmed.lastText.contains("as an **officer**"))
        #expect(try await bot.environment.directory.role(ofUser: owner.id, inClan: clan.id) == .officer)
        #expect(try await bot.environment.directory.role(ofUser: TestUser.outsider.id, inClan: clan.id) == nil)
        // A confirmed link is not replaced that way: it is unlinked first.
        let taken = try await withUser(bot, "link", user: .outsider, rsn: "Big Boss", as: .leader)
        #expect(taken.lastText.contains("/clan unlink"))
        #expect(try await bot.environment.directory.role(ofUser: owner.id, inClan: clan.id) == .officer)
    }

    @Test func officersUnlinkOthersWithinTheirReach() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        _ = try await bot.command("clan add", ["rsn": "Big Boss", "role": "officer"], as: .leader)
        _ = try await bot.command("clan link", ["rsn": "Big Boss"], as: .outsider)

        let byMember = try await withUser(bot, "unlink", user: .outsider, as: .member)
        #expect(byMember.lastText.contains("⛔"))
        #expect(try await bot.environment.directory.role(ofUser: TestUser.outsider.id, inClan: clan.id) == .member)

        let byOfficer = try await withUser(bot, "unlink", user: .outsider, as: .officer)
        #expect(byOfficer.lastText.contains("<@\(TestUser.outsider.id)> is no longer linked to **Big Boss**"))
        #expect(try await bot.environment.directory.role(ofUser: TestUser.outsider.id, inClan: clan.id) == nil)
        // The officer's own link is untouched.
        #expect(try await bot.environment.directory.role(ofUser: TestUser.officer.id, inClan: clan.id) == .officer)

        let leader = try await withUser(bot, "unlink", user: .leader, as: .officer)
        #expect(leader.lastText.contains("⛔"))
        #expect(try await bot.environment.directory.role(ofUser: TestUser.leader.id, inClan: clan.id) == .leader)
        let officerByLeader = try await withUser(bot, "unlink", user: .officer, as: .leader)
        #expect(officerByLeader.lastText.contains("no longer linked to **Offi Sir**"))
    }

    @Test func anOfficerCannotRenameOrMergeTheLeadersAccount() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        let merge = try await bot.command("clan rename", ["rsn": "Mem Ber", "new_name": "Lead Guy"], as: .officer)
        #expect(merge.lastText.contains("⛔"))
        let rename = try await bot.command("clan rename", ["rsn": "Lead Guy", "new_name": "Lead Gal"], as: .officer)
        #expect(rename.lastText.contains("⛔"))
        #expect(try await bot.environment.directory.role(ofUser: TestUser.leader.id, inClan: clan.id) == .leader)
    }

    @Test func aPlayerLookupStoresNoAccountForANameTheHiscoresDoNotKnow() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let unknown = try await bot.command("snapshot player", ["rsn": "Nobody Here"], as: .member)
        #expect(unknown.lastText.contains("Nobody Here is not on the regular hiscores"))
        let stored = try await bot.services.store.read { db in try db.accounts.find(normalisedName: "nobody here") }
        #expect(stored == nil)
        let known = try await bot.command("snapshot player", ["rsn": "Mem Ber"], as: .member)
        #expect(known.lastText.contains("📜 Mem Ber"))
    }

    @Test func aClansSnapshotRunHasACooldown() async throws {
        let bot = try BotHarness(limits: CommandLimits(snapshotRunInterval: 600, lookupInterval: 0))
        let clan = try await bot.seedClan()
        let first = try await bot.command("snapshot run", as: .officer)
        #expect(first.lastText.contains("3/3 done"))
        let again = try await bot.command("snapshot run", as: .leader)
        #expect(again.lastIsEphemeral)
        #expect(again.lastText.contains("⏳ **Iron Legion** can start its next snapshot run <t:"))
        #expect(again.lastText.contains("at most one every 10m"))
        let pressed = try await bot.press("snap.run|\(clan.id)", as: .leader)
        #expect(pressed.lastText.contains("⏳"))
        #expect(try await bot.services.batches.recent(clanID: clan.id).count == 1)

        bot.botClockOffset.withLock { $0 = 601 }
        let later = try await bot.command("snapshot run", as: .officer)
        #expect(later.lastText.contains("3/3 done"))
        #expect(try await bot.services.batches.recent(clanID: clan.id).count == 2)
    }
}
