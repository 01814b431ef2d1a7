import DatabaseTestTraits
import Domain
import Foundation
import TestSupport
import Testing
import TestSupport
@testable import Storage

@Suite(.databaseTests) struct ClanRepositoryTests {
    @Test(arguments: TestDatabaseBackend.all) func createGetListUpdateDelete(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(
            guildID: Fixtures.guild, name: "  The Iron Legion! ", description: "irons only", timeZone: "Europe/London",
            defaultSnapshotMode: .board(.ironman), createdBy: "42", now: Fixtures.t0)
        #expect(clan.slug == "the-iron-legion")
        #expect(clan.name == "The Iron Legion!")
        #expect(clan.defaultSnapshotMode == .board(.ironman))
        #expect(try db.clans.get(id: clan.id) == clan)
        #expect(try db.clans.get(guildID: Fixtures.guild, slug: "the-iron-legion") == clan)
        let second = try db.clans.create(guildID: Fixtures.guild, name: "Alpha", slug: "alpha", now: Fixtures.t0)
        try db.clans.create(guildID: Fixtures.otherGuild, name: "Elsewhere", now: Fixtures.t0)
        #expect(try db.clans.list(guildID: Fixtures.guild).map(\.slug) == ["alpha", "the-iron-legion"])
        #expect(try db.clans.all().count == 3)
        #expect(second.defaultSnapshotMode == .auto && second.timeZone == "UTC")

        var edited = clan
        edited.name = "Iron Legion"
        edited.slug = "legion"
        edited.timeZone = "America/New_York"
        let saved = try db.clans.update(edited, now: Fixtures.at(hours: 1))
        #expect(saved.slug == "legion" && saved.timeZone == "America/New_York" && saved.updatedAt == Fixtures.at(hours: 1))
        #expect(saved.createdAt == Fixtures.t0)

        try db.clans.delete(id: clan.id)
        #expect(throws: StorageError.unknownClan("with id \(clan.id)")) { try db.clans.get(id: clan.id) }
        #expect(throws: StorageError.unknownClan("with id \(clan.id)")) { try db.clans.delete(id: clan.id) }
        #expect(throws: StorageError.unknownClan("called \"nope\" in this server")) { try db.clans.get(guildID: Fixtures.guild, slug: "nope") }
    }

    @Test(arguments: TestDatabaseBackend.all) func aSecondClanWithTheSameSlugInAGuildIsRefused(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        #expect(throws: StorageError.clanSlugTaken(slug: "legion", guildID: Fixtures.guild)) {
            try db.clans.create(guildID: Fixtures.guild, name: "LEGION", now: Fixtures.t0)
        }
        // Another guild may use it.
        try db.clans.create(guildID: Fixtures.otherGuild, name: "Legion", now: Fixtures.t0)
        let other = try db.clans.create(guildID: Fixtures.guild, name: "Other", now: Fixtures.t0)
        var renamed = other
        renamed.slug = "legion"
        #expect(throws: StorageError.clanSlugTaken(slug: "legion", guildID: Fixtures.guild)) { try db.clans.update(renamed) }
        #expect(StorageError.clanSlugTaken(slug: "legion", guildID: Fixtures.guild).description.contains("pick another slug"))
    }

    @Test(arguments: TestDatabaseBackend.all) func invalidClansAreRefusedWithAReason(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let cases: [(String, String, String?, String, String)] = [
            ("not-a-snowflake", "Legion", nil, "UTC", "Discord server id"),
            (Fixtures.guild, "   ", nil, "UTC", "1 to 100 characters"),
            (Fixtures.guild, "!!!", nil, "UTC", "no letters or digits"),
            (Fixtures.guild, "Legion", "Bad Slug", "UTC", "lower-case letters"),
            (Fixtures.guild, "Legion", nil, "Mars/Olympus", "not a time zone"),
        ]
        for (guild, name, slug, zone, reason) in cases {
            #expect {
                try db.clans.create(guildID: guild, name: name, slug: slug, timeZone: zone)
            } throws: { error in
                guard case .invalidClan(let message) = error as? StorageError else { return false }
                return message.contains(reason)
            }
        }
        #expect(try db.scalar("SELECT count(*) FROM clans", as: Int.self) == 0)
        // The CHECK constraints hold even for SQL that bypasses the repository.
        #expect(throws: DatabaseError.self) {
            try db.execute("INSERT INTO clans (guild_id, name, slug, created_at, updated_at) VALUES ('1', 'x', 'UPPER', 0, 0)")
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func deletingAClanCascades(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        let account = try Fixtures.account(db, "Zezima")
        try db.members.add(clanID: clan.id, accountID: account.id, now: Fixtures.t0)
        try db.schedules.set(clanID: clan.id, cron: "0 6 * * *", nextRunAt: Fixtures.t0, now: Fixtures.t0)
        try db.webhooks.add(clanID: clan.id, url: "https://example.com/hook", provider: .custom, events: [.snapshotFinished])
        try db.clans.delete(id: clan.id)
        for table in ["clan_members", "clan_schedules", "clan_webhooks"] {
            #expect(try db.scalar("SELECT count(*) FROM \(table)", as: Int.self) == 0)
        }
        #expect(try db.accounts.get(id: account.id).displayName == "Zezima")
    }
}

@Suite(.databaseTests) struct MemberRepositoryTests {
    @Test(arguments: TestDatabaseBackend.all) func addSetRoleRemoveAndRejoin(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        let zezima = try Fixtures.account(db, "Zezima")
        let woox = try Fixtures.account(db, "Woox")
        let boaty = try Fixtures.account(db, "B0aty")
        try db.members.add(clanID: clan.id, accountID: zezima.id, role: .member, now: Fixtures.t0)
        try db.members.add(clanID: clan.id, accountID: woox.id, role: .leader, now: Fixtures.t0)
        try db.members.add(clanID: clan.id, accountID: boaty.id, roleName: " Officer ", now: Fixtures.t0)
        #expect(try db.members.listActive(clanID: clan.id).map(\.account.displayName) == ["Woox", "B0aty", "Zezima"])

        let promoted = try db.members.setRole(clanID: clan.id, accountID: zezima.id, roleName: "officer")
        #expect(promoted.role == .officer)
        let left = try db.members.remove(clanID: clan.id, accountID: boaty.id, now: Fixtures.at(hours: 5))
        #expect(!left.isActive && left.leftAt == Fixtures.at(hours: 5))
        #expect(try db.members.listActive(clanID: clan.id).map(\.account.displayName) == ["Woox", "Zezima"])
        #expect(try db.members.listAll(clanID: clan.id).count == 3)
        #expect(try db.members.activeAccountIDs(clanID: clan.id) == [zezima.id, woox.id].sorted())

        let back = try db.members.add(clanID: clan.id, accountID: boaty.id, role: .member, now: Fixtures.at(hours: 6))
        #expect(back.isActive && back.leftAt == nil && back.role == .member && back.joinedAt == Fixtures.at(hours: 6))
        #expect(back.id == left.id)
    }

    @Test(arguments: TestDatabaseBackend.all) func theSameMemberTwiceIsRefused(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        let zezima = try Fixtures.account(db, "Zezima")
        try db.members.add(clanID: clan.id, accountID: zezima.id)
        #expect(throws: StorageError.alreadyMember(clanID: clan.id, account: "Zezima")) {
            try db.members.add(clanID: clan.id, accountID: zezima.id, role: .officer)
        }
        #expect(StorageError.alreadyMember(clanID: clan.id, account: "Zezima").description.contains("change their role"))
    }

    @Test(arguments: TestDatabaseBackend.all) func unknownClanAccountRoleAndNonMembersAreNamed(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        let zezima = try Fixtures.account(db, "Zezima")
        #expect(throws: StorageError.unknownClan("with id 99")) { try db.members.add(clanID: 99, accountID: zezima.id) }
        #expect(throws: StorageError.unknownAccount("with id 98")) { try db.members.add(clanID: clan.id, accountID: 98) }
        #expect(throws: StorageError.invalidRole("boss")) { try db.members.add(clanID: clan.id, accountID: zezima.id, roleName: "boss") }
        #expect(throws: StorageError.notAMember(clanID: clan.id, account: "Zezima")) {
            try db.members.setRole(clanID: clan.id, accountID: zezima.id, role: .leader)
        }
        #expect(throws: StorageError.notAMember(clanID: clan.id, account: "Zezima")) { try db.members.remove(clanID: clan.id, accountID: zezima.id) }
        #expect(throws: StorageError.unknownClan("with id 99")) { try db.members.remove(clanID: 99, accountID: zezima.id) }
        try db.members.add(clanID: clan.id, accountID: zezima.id)
        #expect(throws: StorageError.invalidRole("king")) { try db.members.setRole(clanID: clan.id, accountID: zezima.id, roleName: "king") }
        // The CHECK constraint backs the enum up.
        #expect {
            try db.execute("UPDATE clan_members SET role = 'king'")
        } throws: { ($0 as? DatabaseError)?.isCheckViolation == true }
        #expect(StorageError.invalidRole("king").description.contains("leader, officer, member"))
    }
}
