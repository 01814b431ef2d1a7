import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

/// Accounts are shared by every server, so a name change made in one server must never move what another
/// server sees: its roster, its roles, its Discord links or its members' history.
@Suite(.databaseTests) struct ClanTakeoverTests {
    static let victimGuild = "1001"
    static let attackerGuild = "2002"
    static let victimUser = "501"
    static let attackerUser = "502"

    /// Server A: "Victim" leads "Home Clan" (verified link); the attacker's own "Attacker" account is linked and
    /// verified there too but left the clan. Server B: the attacker's clan, where they are an officer.
    struct World {
        let fixture: ServicesFixture
        let home: Int64
        let away: Int64
        let clans: ClanService

        static func make(_ backend: TestDatabaseBackend = .sqlite) async throws -> World {
            let fixture = try await ServicesFixture(backend)
            let (home, away) = try await fixture.store.write { db in
                let home = try db.clans.create(guildID: victimGuild, name: "Home Clan")
                let away = try db.clans.create(guildID: attackerGuild, name: "Away Clan")
                let victim = try db.accounts.findOrCreate(RSN("Victim"))
                let attacker = try db.accounts.findOrCreate(RSN("Attacker"))
                _ = try db.members.add(clanID: home.id, accountID: victim.id, role: .leader)
                _ = try db.members.add(clanID: home.id, accountID: attacker.id, role: .member)
                _ = try db.discordLinks.link(guildID: victimGuild, discordUserID: victimUser, accountID: victim.id, verifiedBy: "1")
                _ = try db.discordLinks.link(guildID: victimGuild, discordUserID: attackerUser, accountID: attacker.id, verifiedBy: "1")
                _ = try db.members.remove(clanID: home.id, accountID: attacker.id)
                _ = try db.members.add(clanID: away.id, accountID: attacker.id, role: .officer)
                return (home.id, away.id)
            }
            return World(fixture: fixture, home: home, away: away, clans: ClanService(store: fixture.store))
        }

        /// What server A sees: its roster with roles, who each user is, and each member's snapshot count.
        func homeView() async throws -> [String] {
            let home = home
            return try await fixture.store.read { db in
                var lines = try db.members.listAll(clanID: home).map {
                    "\($0.account.displayName) \($0.role.rawValue) active=\($0.isActive) snapshots=\(try db.snapshots.count(accountID: $0.account.id))"
                }
                for user in [victimUser, attackerUser] {
                    lines.append("\(user): \(String(describing: try db.discordLinks.role(ofUser: user, inClan: home)))")
                }
                return lines
            }
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func renamingOwnAccountIntoAnotherServersLeaderMovesNothingThere(_ backend: TestDatabaseBackend) async throws {
        let world = try await World.make(backend)
        defer { world.fixture.remove() }
        let victim = try await world.fixture.account("Victim")
        try await world.fixture.snapshot(victim, at: instant("2026-06-01T00:00:00Z"), skills: [("Overall", 100, 1_000)])
        let before = try await world.homeView()
        #expect(before.contains("\(Self.victimUser): Optional(Domain.ClanRole.leader)"))

        let renamed = try await world.clans.renameMember(clanID: world.away, from: "Attacker", to: "Victim")
        #expect(renamed.account.displayName == "Victim")
        #expect(try await world.homeView() == before)
        // In the attacker's own server the member now goes by the new name, with no Discord link carried over.
        let away = try await world.clans.activeMembers(clanID: world.away)
        #expect(away.map(\.account.displayName) == ["Victim"] && away.map(\.role) == [.officer])
        let links = try await world.fixture.store.read { db in try db.discordLinks.find(guildID: Self.attackerGuild, accountID: away[0].account.id) }
        #expect(links == nil)
    }

    @Test(arguments: TestDatabaseBackend.all) func addingAnotherServersLeaderAndRenamingThemMovesNothingThere(_ backend: TestDatabaseBackend) async throws {
        let world = try await World.make(backend)
        defer { world.fixture.remove() }
        _ = try await world.clans.addMembers(clanID: world.away, names: ["Victim"])
        let victim = try await world.fixture.account("Victim")
        try await world.fixture.snapshot(victim, at: instant("2026-06-01T00:00:00Z"), skills: [("Overall", 100, 1_000)])
        let before = try await world.homeView()

        // A plain rename (the new name is not tracked yet) and a merge into the attacker's own verified name.
        _ = try await world.clans.renameMember(clanID: world.away, from: "Victim", to: "Someone Else")
        #expect(try await world.homeView() == before)
        _ = try await world.clans.renameMember(clanID: world.away, from: "Someone Else", to: "Attacker")
        #expect(try await world.homeView() == before)
        // Server B keeps the history it renamed: the snapshot was copied, not moved.
        let away = try await world.clans.activeMembers(clanID: world.away)
        #expect(Set(away.map(\.account.displayName)) == ["Attacker"])
    }

    @Test(arguments: TestDatabaseBackend.all) func aMergeInsideOneServerDropsTheDiscordLinksOfBothAccounts(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clan = try await fixture.store.write { db in
            let clan = try db.clans.create(guildID: Self.victimGuild, name: "Home Clan")
            let old = try db.accounts.findOrCreate(RSN("Old Name"))
            let new = try db.accounts.findOrCreate(RSN("New Name"))
            _ = try db.members.add(clanID: clan.id, accountID: old.id, role: .member)
            _ = try db.members.add(clanID: clan.id, accountID: new.id, role: .leader)
            _ = try db.discordLinks.link(guildID: Self.victimGuild, discordUserID: Self.attackerUser, accountID: old.id, verifiedBy: "1")
            _ = try db.discordLinks.link(guildID: Self.victimGuild, discordUserID: Self.victimUser, accountID: new.id, verifiedBy: "1")
            return clan.id
        }
        let renamed = try await ClanService(store: fixture.store).renameMember(clanID: clan, from: "Old Name", to: "New Name")
        #expect(Set(renamed.droppedLinks) == [Self.attackerUser, Self.victimUser])
        let roles = try await fixture.store.read { db in
            try [Self.attackerUser, Self.victimUser].map { try db.discordLinks.role(ofUser: $0, inClan: clan) }
        }
        #expect(roles == [nil, nil])
    }
}
