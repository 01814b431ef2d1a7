@testable import Bot
@testable import Discord
@testable import Domain
import Foundation
import Services
import Testing
import TestSupport

@Suite struct ClanCommandTests {
    @Test func onlyAServerManagerCreatesAClanAndTheGuildsOnlyClanIsTheDefault() async throws {
        let bot = try BotHarness()
        let refused = try await bot.command("clan create", ["name": "Iron Legion"], as: .outsider)
        #expect(refused.callbackType == 4)
        #expect(refused.lastIsEphemeral)
        #expect(refused.lastText.contains("Manage Server"))

        let noClan = try await bot.command("clan info", as: .outsider)
        #expect(noClan.lastText.contains("no clan yet"))

        let created = try await bot.command("clan create", ["name": "Iron Legion", "timezone": "Europe/London"], as: .serverManager)
        #expect(created.callbackType == 4)
        #expect(created.lastText.contains("Iron Legion is ready"))
        #expect(created.lastText.contains("iron-legion"))
        #expect(created.lastText.contains("Europe/London"))

        let info = try await bot.command("clan info", as: .outsider)
        #expect(info.callbackType == 5)
        #expect(info.lastText.contains("🏰 Iron Legion"))
    }

    @Test func theOverviewShowsMembersScheduleLastRunAndARunNowButton() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        _ = try await bot.command("schedule set", ["cron": "0 6 * * *"], as: .officer)
        let info = try await bot.command("clan info", as: .member)
        #expect(info.callbackType == 5)
        #expect(info.edits.count == 1)
        let text = info.lastText
        #expect(text.contains("**3**"))
        #expect(text.contains("1 leader · 1 officer · 1 member"))
        #expect(text.contains("`0 6 * * *`"))
        #expect(text.contains("next <t:"))
        #expect(text.contains("No snapshot run yet"))
        #expect(Exchange.customIDs(info.last) == ["snap.run|\(clan.id)"])
    }

    @Test func anUnknownClanIsNamedInAPrivateAnswer() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let answer = try await bot.command("clan info", ["clan": "Nope Legion"], as: .member)
        #expect(answer.lastIsEphemeral)
        #expect(answer.lastText.contains("no clan called **Nope Legion**"))
    }

    @Test func severalClansNeedTheClanOption() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        _ = try await bot.services.clans.create(guildID: BotHarness.guild, name: "Second Clan")
        let answer = try await bot.command("clan members", as: .member)
        #expect(answer.lastText.contains("2 clans"))
        #expect(answer.lastText.contains("`clan` option"))
        let picked = try await bot.command("clan members", ["clan": "second-clan"], as: .member)
        #expect(picked.lastText.contains("Second Clan — 0 members"))
    }

    @Test func officersManageTheRosterAndMembersAreToldWhoMay() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        let refused = try await bot.command("clan add", ["rsn": "New Guy"], as: .member)
        #expect(refused.lastIsEphemeral)
        #expect(refused.lastText.contains("Only leaders and officers of **Iron Legion**"))
        #expect(refused.lastText.contains("you are linked as a member"))

        let added = try await bot.command("clan add", ["rsn": "New Guy"], as: .officer)
        #expect(added.lastText.contains("New Guy joined Iron Legion"))
        let again = try await bot.command("clan add", ["rsn": "new guy"], as: .officer)
        #expect(again.lastText.contains("already a member"))

        let promote = try await bot.command("clan role", ["rsn": "New Guy", "role": "officer"], as: .officer)
        #expect(promote.lastText.contains("New Guy is now an officer"))
        let crown = try await bot.command("clan role", ["rsn": "New Guy", "role": "leader"], as: .officer)
        #expect(crown.lastText.contains("Only a leader of **Iron Legion**"))
        let crowned = try await bot.command("clan role", ["rsn": "New Guy", "role": "leader"], as: .leader)
        #expect(crowned.lastText.contains("New Guy is now a leader"))

        let removeLeader = try await bot.command("clan remove", ["rsn": "New Guy"], as: .officer)
        #expect(removeLeader.lastText.contains("Only a leader"))
        let removed = try await bot.command("clan remove", ["rsn": "New Guy"], as: .leader)
        #expect(removed.lastText.contains("New Guy left Iron Legion"))

        let members = try await bot.command("clan members", as: .outsider)
        #expect(members.lastText.contains("Iron Legion — 3 members"))
        #expect(members.lastText.contains("Leaders\nLead Guy"))
        #expect(!members.lastText.contains("New Guy"))
        #expect(try await bot.services.clans.activeMembers(clanID: clan.id).count == 3)
    }

    @Test func aNameChangeKeepsTheMembersHistoryAndRole() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        _ = try await bot.command("snapshot run", as: .leader)
        let refused = try await bot.command("clan rename", ["rsn": "Mem Ber", "new_name": "Mem Ber Two"], as: .member)
        #expect(refused.lastIsEphemeral)
        #expect(refused.lastText.contains("can rename members"))
        let unknown = try await bot.command("clan rename", ["rsn": "Zezima", "new_name": "Zezima Two"], as: .officer)
        #expect(unknown.lastIsEphemeral)
        #expect(unknown.lastText.contains("Zezima is not a member of Iron Legion"))
        let badName = try await bot.command("clan rename", ["rsn": "Mem Ber", "new_name": "way too long a name"], as: .officer)
        #expect(badName.lastIsEphemeral)

        let renamed = try await bot.command("clan rename", ["rsn": "mem ber", "new_name": "Mem Ber Two"], as: .officer)
        #expect(renamed.lastText.contains("✏️ Mem Ber is now Mem Ber Two"))
        #expect(renamed.lastText.contains("Their history carries over"))
        let members = try await bot.services.clans.activeMembers(clanID: clan.id)
        #expect(members.map(\.account.displayName).sorted() == ["Lead Guy", "Mem Ber Two", "Offi Sir"])
        let account = try #require(members.first { $0.account.displayName == "Mem Ber Two" }?.account)
        #expect(account.lastSnapshotAt != nil)  // the snapshot taken under the old name is still theirs
    }

    @Test func aSelfMadeLinkCountsAsMemberUntilAnOfficerVerifiesIt() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan()
        _ = try await bot.command("clan add", ["rsn": "Big Boss", "role": "officer"], as: .leader)
        let claim = try await bot.command("clan link", ["rsn": "Big Boss"], as: .outsider)
        #expect(claim.lastIsEphemeral)
        #expect(claim.lastText.contains("as a **member**"))
        #expect(claim.lastText.contains("not verified"))
        let stillRefused = try await bot.command("clan add", ["rsn": "Another"], as: .outsider)
        #expect(stillRefused.lastText.contains("you are linked as a member"))

        // The officer verifies by linking it for them (a user option carries the snowflake).
        let data: [String: Any] = ["id": "1", "name": "clan", "type": 1, "options": [["name": "link", "type": 1, "options": [
            ["name": "rsn", "type": 3, "value": "Big Boss"], ["name": "user", "type": 6, "value": TestUser.outsider.id]]]]]
        let verified = try await bot.send(type: 2, data: data, user: .officer)
        #expect(verified.lastText.contains("as an **officer**"))
        #expect(try await bot.environment.directory.role(ofUser: TestUser.outsider.id, inClan: clan.id) == .officer)

        let unlink = try await bot.command("clan unlink", as: .outsider)
        #expect(unlink.lastText.contains("no longer linked to **Big Boss**"))
        #expect(try await bot.environment.directory.role(ofUser: TestUser.outsider.id, inClan: clan.id) == nil)
    }

    @Test func manageServerCountsAsLeader() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let answer = try await bot.command("clan role", ["rsn": "Mem Ber", "role": "leader"], as: .serverManager)
        #expect(answer.lastText.contains("Mem Ber is now a leader"))
    }

    @Test func aHugeRosterIsSplitIntoEmbedsDiscordAccepts() async throws {
        let bot = try BotHarness()
        let names = (1...600).map { "Member \($0)" }
        try await bot.seedClan(extraMembers: names)
        let answer = try await bot.command("clan members", as: .member)
        #expect(answer.messages.count >= 2)
        for message in answer.messages {
            let embeds = try JSONDecoder().decode([Embed].self, from: JSONSerialization.data(withJSONObject: message["embeds"] ?? []))
            #expect(embeds.count <= 10)
            #expect(embeds.reduce(0) { $0 + $1.totalLength } <= Embed.totalLimit)
            for embed in embeds { #expect(embed.limitViolations.isEmpty) }
        }
        let text = answer.allText
        for name in ["Member 1", "Member 377", "Member 600", "Lead Guy"] { #expect(text.contains(name + "\n") || text.hasSuffix(name)) }
        #expect(text.contains("Iron Legion — 603 members"))
    }
}
