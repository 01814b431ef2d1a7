import DatabaseTestTraits
import Domain
import Foundation
import TestSupport
import Testing
import TestSupport
@testable import Storage

/// A name change keeps the account's history; a separately tracked account under the new name is folded in when only
/// this server tracks it. Another server's roster, links and history never move.
@Suite(.databaseTests) struct AccountRenameTests {
    func snapshot(_ db: Database, _ accountID: Int64, hours: Double, gain: Int64 = 0) throws {
        _ = try db.snapshots.insert(accountID: accountID, fetchedAt: Fixtures.at(hours: hours), requestedBoard: .regular,
                                    resolvedType: nil, latencyMs: 5, record: Fixtures.record(gain: gain))
    }

    @Test(arguments: TestDatabaseBackend.all) func aNewNameKeepsTheHistory(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Iron Legion", now: Fixtures.t0)
        let zezima = try Fixtures.account(db, "Zezima")
        _ = try db.members.add(clanID: clan.id, accountID: zezima.id, role: .officer, now: Fixtures.t0)
        try snapshot(db, zezima.id, hours: 1)

        let renamed = try db.accounts.rename(accountID: zezima.id, to: RSN("Zezima_Two"), inGuild: Fixtures.guild, now: Fixtures.at(hours: 2))
        #expect(renamed.account.id == zezima.id)
        #expect(renamed.account.displayName == "Zezima_Two")
        #expect(renamed.account.normalisedName == "zezima two")
        #expect(renamed.previousName == "Zezima")
        #expect(renamed.foldedAccountID == nil && renamed.movedSnapshots == 0)
        #expect(renamed.clanIDs == [clan.id])
        #expect(try db.accounts.find(RSN("zezima")) == nil)
        #expect(try db.snapshots.count(accountID: zezima.id) == 1)
        #expect(try db.members.find(clanID: clan.id, accountID: zezima.id)?.role == .officer)
        // The old name is free for whoever takes it next.
        #expect(try Fixtures.account(db, "Zezima").id != zezima.id)
    }

    @Test(arguments: TestDatabaseBackend.all) func aNewSpellingOfTheSameNameOnlyChangesTheDisplay(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let account = try Fixtures.account(db, "iron man")
        let renamed = try db.accounts.rename(accountID: account.id, to: RSN("Iron_Man"), inGuild: Fixtures.guild, now: Fixtures.at(hours: 1))
        #expect(renamed.account.id == account.id && renamed.account.displayName == "Iron_Man" && renamed.foldedAccountID == nil)
    }

    /// The officer removed the old name and added the new one, which then got two snapshots of its own.
    struct TwoNames {
        let db: Database
        let clan: Clan
        let old: Account
        let new: Account
    }

    func twoNames(_ directory: TemporaryDirectory) throws -> TwoNames {
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Iron Legion", now: Fixtures.t0)
        let old = try Fixtures.account(db, "Zezima")
        _ = try db.members.add(clanID: clan.id, accountID: old.id, role: .officer, now: Fixtures.t0)
        try snapshot(db, old.id, hours: 1)
        try snapshot(db, old.id, hours: 2, gain: 100)
        _ = try db.members.remove(clanID: clan.id, accountID: old.id, now: Fixtures.at(hours: 3))
        _ = try db.discordLinks.link(guildID: Fixtures.guild, discordUserID: "42", accountID: old.id, now: Fixtures.t0)
        let new = try Fixtures.account(db, "Zezima Two")
        _ = try db.members.add(clanID: clan.id, accountID: new.id, role: .member, now: Fixtures.at(hours: 3))
        try snapshot(db, new.id, hours: 4, gain: 300)
        try snapshot(db, new.id, hours: 5, gain: 400)
        _ = try db.accounts.updateResolvedType(accountID: new.id, to: .ironman, checkedAt: Fixtures.at(hours: 5))
        return TwoNames(db: db, clan: clan, old: old, new: new)
    }

    @Test(arguments: TestDatabaseBackend.all) func anAccountAlreadyTrackedUnderTheNewNameIsFoldedIn(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let world = try twoNames(directory)
        let (db, clan, old, new) = (world.db, world.clan, world.old, world.new)

        let renamed = try db.accounts.rename(accountID: old.id, to: RSN("Zezima Two"), inGuild: Fixtures.guild, now: Fixtures.at(hours: 6))
        #expect(renamed.foldedAccountID == new.id)
        #expect(renamed.movedSnapshots == 2)
        #expect(renamed.clanIDs == [clan.id])
        #expect(renamed.droppedLinks == ["42"])
        #expect(!renamed.splitFromSharedAccount && !renamed.historyKeptApart)
        #expect(throws: StorageError.unknownAccount("with id \(new.id)")) { try db.accounts.get(id: new.id) }

        let account = renamed.account
        #expect(account.displayName == "Zezima Two")
        #expect(account.firstSnapshotAt == Fixtures.at(hours: 1))
        #expect(account.lastSnapshotAt == Fixtures.at(hours: 5))
        #expect(account.resolvedType == .ironman)
        #expect(try db.snapshots.count(accountID: account.id) == 4)
        #expect(try db.snapshots.latest(accountID: account.id)?.fetchedAt == Fixtures.at(hours: 5))
        // Active again in the clan with the role the new name had; a merge carries no Discord link.
        let membership = try #require(try db.members.find(clanID: clan.id, accountID: account.id))
        #expect(membership.isActive && membership.role == .member && membership.leftAt == nil)
        #expect(try db.members.listActive(clanID: clan.id).map(\.account.id) == [account.id])
        #expect(try db.discordLinks.find(guildID: Fixtures.guild, accountID: account.id) == nil)
    }

    @Test(arguments: TestDatabaseBackend.all) func aNewNameAnotherServerTracksKeepsItsHistoryAndLinksThere(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let world = try twoNames(directory)
        let (db, clan, old, new) = (world.db, world.clan, world.old, world.new)
        let other = try db.clans.create(guildID: Fixtures.otherGuild, name: "Other Clan", now: Fixtures.t0)
        _ = try db.members.add(clanID: other.id, accountID: new.id, role: .leader, now: Fixtures.at(hours: 3))
        _ = try db.discordLinks.link(guildID: Fixtures.otherGuild, discordUserID: "43", accountID: new.id, verifiedBy: "1", now: Fixtures.t0)

        let renamed = try db.accounts.rename(accountID: old.id, to: RSN("Zezima Two"), inGuild: Fixtures.guild, now: Fixtures.at(hours: 6))
        #expect(renamed.account.id == new.id && renamed.foldedAccountID == nil)
        #expect(renamed.historyKeptApart && renamed.movedSnapshots == 0)
        #expect(renamed.clanIDs == [clan.id])
        // The other server: same history, same role, same link.
        #expect(try db.snapshots.count(accountID: new.id) == 2)
        #expect(try db.members.find(clanID: other.id, accountID: new.id)?.role == .leader)
        #expect(try db.discordLinks.find(guildID: Fixtures.otherGuild, accountID: new.id)?.discordUserID == "43")
        #expect(try db.discordLinks.role(ofUser: "43", inClan: other.id) == .leader)
        // This server: one membership under the new name, the old name's history left where it was.
        #expect(try db.members.listAll(clanID: clan.id).map(\.account.id) == [new.id])
        #expect(try db.snapshots.count(accountID: old.id) == 2)
        #expect(try db.discordLinks.find(guildID: Fixtures.guild, accountID: old.id) == nil)
    }

    @Test(arguments: TestDatabaseBackend.all) func anOldNameAnotherServerTracksIsSplitOff(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Iron Legion", now: Fixtures.t0)
        let other = try db.clans.create(guildID: Fixtures.otherGuild, name: "Other Clan", now: Fixtures.t0)
        let zezima = try Fixtures.account(db, "Zezima")
        _ = try db.members.add(clanID: clan.id, accountID: zezima.id, role: .officer, now: Fixtures.t0)
        _ = try db.members.add(clanID: other.id, accountID: zezima.id, role: .leader, now: Fixtures.t0)
        _ = try db.discordLinks.link(guildID: Fixtures.guild, discordUserID: "42", accountID: zezima.id, verifiedBy: "1", now: Fixtures.t0)
        _ = try db.discordLinks.link(guildID: Fixtures.otherGuild, discordUserID: "43", accountID: zezima.id, verifiedBy: "1", now: Fixtures.t0)
        try snapshot(db, zezima.id, hours: 1)
        try snapshot(db, zezima.id, hours: 2, gain: 50)

        let renamed = try db.accounts.rename(accountID: zezima.id, to: RSN("Zezima Two"), inGuild: Fixtures.guild, now: Fixtures.at(hours: 3))
        #expect(renamed.splitFromSharedAccount && renamed.account.id != zezima.id && renamed.movedSnapshots == 2)
        #expect(renamed.droppedLinks.isEmpty)
        let split = renamed.account
        #expect(split.displayName == "Zezima Two" && split.firstSnapshotAt == Fixtures.at(hours: 1) && split.lastSnapshotAt == Fixtures.at(hours: 2))
        #expect(try db.snapshots.latest(accountID: split.id)?.record == db.snapshots.latest(accountID: zezima.id)?.record)
        // This server: the member and their link moved to the new name, role kept.
        #expect(try db.members.listAll(clanID: clan.id).map(\.account.id) == [split.id])
        #expect(try db.discordLinks.role(ofUser: "42", inClan: clan.id) == .officer)
        // The other server sees Zezima exactly as before.
        #expect(try db.accounts.get(id: zezima.id).displayName == "Zezima")
        #expect(try db.snapshots.count(accountID: zezima.id) == 2)
        #expect(try db.members.listAll(clanID: other.id).map(\.account.id) == [zezima.id])
        #expect(try db.discordLinks.role(ofUser: "43", inClan: other.id) == .leader)
    }

    @Test(arguments: TestDatabaseBackend.all) func anAccountWithContestEntriesIsNotFoldedIn(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Iron Legion", now: Fixtures.t0)
        let old = try Fixtures.account(db, "Zezima")
        let new = try Fixtures.account(db, "Zezima Two")
        let contest = try db.contests.create(clanID: clan.id, name: "June", startAt: Fixtures.t0, endAt: Fixtures.at(hours: 10), now: Fixtures.t0)
        let rule = try ContestRule(position: 1, kind: .totalXP, targets: [], threshold: 1, weight: 1, title: "Any")
        _ = try db.contests.addRule(rule, to: contest.id, now: Fixtures.t0)
        let ruleID = try #require(try db.scalar("SELECT id FROM contest_rules WHERE contest_id = ?", [contest.id], as: Int64.self))
        _ = try db.execute("INSERT INTO contest_entries (contest_id, rule_id, account_id, entry_count, proof, created_at) VALUES (?, ?, ?, 1, '{}', ?)",
                           [contest.id, ruleID, new.id, Fixtures.t0])

        #expect {
            try db.accounts.rename(accountID: old.id, to: RSN("Zezima Two"), inGuild: Fixtures.guild, now: Fixtures.at(hours: 1))
        } throws: { error in
            "\(error)".contains("has contest entries of its own")
        }
        // Nothing changed.
        #expect(try db.accounts.get(id: old.id).displayName == "Zezima")
        #expect(try db.accounts.get(id: new.id).displayName == "Zezima Two")
    }
}
