import DatabaseTestTraits
import Domain
import Foundation
import TestSupport
import Testing
import TestSupport
@testable import Storage

@Suite(.databaseTests) struct AccountAndSnapshotTests {
    @Test(arguments: TestDatabaseBackend.all) func accountsAreFoundByNormalisedName(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let created = try db.accounts.findOrCreate(RSN("Iron_Man-1"), now: Fixtures.t0)
        let again = try db.accounts.findOrCreate(RSN("iron man 1"), now: Fixtures.at(hours: 1))
        #expect(created == again)
        #expect(created.displayName == "Iron_Man-1")
        #expect(created.normalisedName == "iron man 1")
        #expect(created.resolvedType == nil)
        #expect(try db.accounts.find(RSN("IRON MAN 1"))?.id == created.id)
        #expect(try db.accounts.get(id: created.id) == created)
        #expect(throws: StorageError.unknownAccount("with id 999")) { try db.accounts.get(id: 999) }
    }

    @Test(arguments: TestDatabaseBackend.all) func resolvedTypeAndDisplayNameUpdate(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let account = try Fixtures.account(db, "hc btw")
        let updated = try db.accounts.updateResolvedType(accountID: account.id, to: .hardcore, checkedAt: Fixtures.at(hours: 2))
        #expect(updated.resolvedType == .hardcore)
        #expect(updated.modeCheckedAt == Fixtures.at(hours: 2))
        #expect(try db.accounts.needingModeCheck(before: Fixtures.at(hours: 3)).map(\.id) == [account.id])
        #expect(try db.accounts.needingModeCheck(before: Fixtures.at(hours: 1)).isEmpty)
        #expect(try db.accounts.updateDisplayName(accountID: account.id, to: RSN("HC_BTW")).displayName == "HC_BTW")
        #expect(throws: StorageError.self) { try db.accounts.updateDisplayName(accountID: account.id, to: RSN("someone else")) }
        #expect(throws: StorageError.unknownAccount("with id 77")) { try db.accounts.updateResolvedType(accountID: 77, to: .ironman) }
    }

    @Test(arguments: TestDatabaseBackend.all) func tooLongANameIsRefusedInWords(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        #expect {
            try db.accounts.findOrCreate(displayName: "thirteen chars", normalisedName: "thirteen chars")
        } throws: { error in
            guard case .invalidAccount(let reason) = error as? StorageError else { return false }
            return reason.contains("1 to 12 characters")
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func aWholeRecordIsStoredAndReadBack(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let account = try Fixtures.account(db, "Zezima")
        let record = Fixtures.record(gain: 0, zulrah: -1)
        let stored = try db.snapshots.insert(
            accountID: account.id, fetchedAt: Fixtures.t0, requestedBoard: .ironman, resolvedType: .ironman, latencyMs: 321, record: record)
        let loaded = try db.snapshots.get(id: stored.id)
        #expect(loaded == stored)
        #expect(loaded.record == record)  // -1 kept as served, order kept
        #expect(loaded.requestedBoard == .ironman && loaded.resolvedType == .ironman && loaded.latencyMs == 321)
        #expect(loaded.totalXP == 50_000_000 && loaded.totalLevel == 1500)
        // Stored in the long tables, totals copied out, the board by its key.
        #expect(try db.scalar("SELECT count(*) FROM snapshot_skills WHERE snapshot_id = ?", [stored.id], as: Int.self) == 3)
        #expect(try db.scalar("SELECT count(*) FROM snapshot_activities WHERE snapshot_id = ?", [stored.id], as: Int.self) == 2)
        #expect(try db.scalar("SELECT total_xp FROM snapshots WHERE id = ?", [stored.id], as: Int64.self) == 50_000_000)
        #expect(try db.scalar("SELECT requested_mode FROM snapshots WHERE id = ?", [stored.id], as: String.self) == "ironman")
        #expect(try db.scalar("SELECT score FROM snapshot_activities JOIN activities ON id = activity_id WHERE name = 'Zulrah'", as: Int.self) == -1)
        let account2 = try db.accounts.get(id: account.id)
        #expect(account2.firstSnapshotAt == Fixtures.t0 && account2.lastSnapshotAt == Fixtures.t0)
        #expect(throws: StorageError.unknownSnapshot(404)) { try db.snapshots.get(id: 404) }
    }

    @Test(arguments: TestDatabaseBackend.all) func newActivityNamesBecomeDataWithACategory(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let account = try Fixtures.account(db, "Woox")
        try db.snapshots.insert(
            accountID: account.id, fetchedAt: Fixtures.t0, requestedBoard: .regular, resolvedType: nil, latencyMs: 1, record: Fixtures.record())
        try db.snapshots.insert(
            accountID: account.id, fetchedAt: Fixtures.at(hours: 1), requestedBoard: .regular, resolvedType: nil, latencyMs: 1,
            record: Fixtures.record(extraActivity: "The Brand New Boss"))
        let names = try db.snapshots.activityNames()
        #expect(names.map(\.name) == ["Clue Scrolls (all)", "Zulrah", "The Brand New Boss"])
        #expect(names.map(\.category) == [.clue, .boss, .boss])
        #expect(try db.snapshots.skillNames() == ["Overall", "Attack", "Sailing"])
        #expect(try db.scalar("SELECT count(*) FROM activities", as: Int.self) == 3)
    }

    @Test(arguments: TestDatabaseBackend.all) func windowQueriesPickTheRightSnapshots(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let account = try Fixtures.account(db, "Lynx Titan")
        let other = try Fixtures.account(db, "B0aty")
        var ids: [Int64] = []
        for (hour, gain) in [(0.0, Int64(0)), (24, 1000), (48, 5000), (72, 9000)] {
            ids.append(try db.snapshots.insert(
                accountID: account.id, fetchedAt: Fixtures.at(hours: hour), requestedBoard: .regular, resolvedType: .regular,
                latencyMs: 10, record: Fixtures.record(gain: gain)).id)
        }
        try db.snapshots.insert(
            accountID: other.id, fetchedAt: Fixtures.at(hours: 100), requestedBoard: .regular, resolvedType: nil, latencyMs: 1, record: Fixtures.record())
        #expect(try db.snapshots.latest(accountID: account.id)?.id == ids[3])
        #expect(try db.snapshots.latest(accountID: account.id, atOrBefore: Fixtures.at(hours: 30))?.id == ids[1])
        #expect(try db.snapshots.latest(accountID: account.id, atOrBefore: Fixtures.at(hours: 24))?.id == ids[1])
        #expect(try db.snapshots.latest(accountID: account.id, atOrBefore: Fixtures.at(hours: -1)) == nil)
        #expect(try db.snapshots.first(accountID: account.id, from: Fixtures.at(hours: 1), through: Fixtures.at(hours: 80))?.id == ids[1])
        #expect(try db.snapshots.first(accountID: account.id, from: Fixtures.at(hours: 73), through: Fixtures.at(hours: 80)) == nil)
        let window = try db.snapshots.list(accountID: account.id, from: Fixtures.at(hours: 24), through: Fixtures.at(hours: 48))
        #expect(window.map(\.id) == [ids[1], ids[2]])
        let attackXP: Int64? = window[1].record.skill(named: "Attack")?.xp
        #expect(attackXP == 13_039_431)
        #expect(try db.snapshots.count(accountID: account.id) == 4)
        let refreshed = try db.accounts.get(id: account.id)
        #expect(refreshed.firstSnapshotAt == Fixtures.t0 && refreshed.lastSnapshotAt == Fixtures.at(hours: 72))
    }

    @Test(arguments: TestDatabaseBackend.all) func badSnapshotsAreRefusedAndLeaveNothingBehind(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let account = try Fixtures.account(db, "Zezima")
        #expect(throws: StorageError.unknownAccount("with id 999")) {
            try db.snapshots.insert(
                accountID: 999, fetchedAt: Fixtures.t0, requestedBoard: .regular, resolvedType: nil, latencyMs: 1, record: Fixtures.record())
        }
        #expect(throws: StorageError.self) {
            try db.snapshots.insert(
                accountID: account.id, fetchedAt: Fixtures.t0, requestedBoard: .regular, resolvedType: nil, latencyMs: -5, record: Fixtures.record())
        }
        var twice = Fixtures.record()
        twice.activities.append(ActivityScore(name: "zulrah", rank: 1, score: 1))
        #expect {
            try db.snapshots.insert(
                accountID: account.id, fetchedAt: Fixtures.t0, requestedBoard: .regular, resolvedType: nil, latencyMs: 1, record: twice)
        } throws: { error in
            guard case .invalidSnapshot(let reason) = error as? StorageError else { return false }
            return reason.contains("same skill or activity twice")
        }
        #expect(try db.scalar("SELECT count(*) FROM snapshots", as: Int.self) == 0)
        #expect(try db.scalar("SELECT count(*) FROM snapshot_skills", as: Int.self) == 0)
        #expect(try db.accounts.get(id: account.id).lastSnapshotAt == nil)
    }

    @Test(arguments: TestDatabaseBackend.all) func aRolledBackNewNameIsNotRememberedWrongly(_ backend: TestDatabaseBackend) throws {
        struct Boom: Error {}
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let account = try Fixtures.account(db, "Zezima")
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.snapshots.insert(
                    accountID: account.id, fetchedAt: Fixtures.t0, requestedBoard: .regular, resolvedType: nil, latencyMs: 1,
                    record: Fixtures.record(extraActivity: "Rolled Back Boss"))
                throw Boom()
            }
        }
        let stored = try db.snapshots.insert(
            accountID: account.id, fetchedAt: Fixtures.t0, requestedBoard: .regular, resolvedType: nil, latencyMs: 1,
            record: Fixtures.record(extraActivity: "Rolled Back Boss"))
        #expect(try db.snapshots.get(id: stored.id).record.activity(named: "Rolled Back Boss")?.score == 42)
    }

    @Test(arguments: TestDatabaseBackend.all) func deletingAnAccountCascadesToItsSnapshots(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let account = try Fixtures.account(db, "Zezima")
        try db.snapshots.insert(
            accountID: account.id, fetchedAt: Fixtures.t0, requestedBoard: .regular, resolvedType: nil, latencyMs: 1, record: Fixtures.record())
        try db.execute("DELETE FROM accounts WHERE id = ?", [account.id])
        #expect(try db.scalar("SELECT count(*) FROM snapshots", as: Int.self) == 0)
        #expect(try db.scalar("SELECT count(*) FROM snapshot_skills", as: Int.self) == 0)
        #expect(try db.scalar("SELECT count(*) FROM skills", as: Int.self) == 3)  // names stay
    }

    @Test func theLatestSnapshotQueryUsesTheIndex() throws {  // SQLite's plan; PostgreSQL plans by its statistics
        let directory = try TemporaryDirectory()
        let db = try directory.migratedDatabase()
        let plan = try db.query(
            "EXPLAIN QUERY PLAN SELECT id FROM snapshots WHERE account_id = ? AND fetched_at <= ? ORDER BY fetched_at DESC LIMIT 1",
            [1, 2]) { try $0.string(3) }.joined(separator: "\n")
        #expect(plan.contains("snapshots_by_account_time"))
        #expect(!plan.contains("TEMP B-TREE"))
        let members = try db.query(
            "EXPLAIN QUERY PLAN SELECT account_id FROM clan_members WHERE clan_id = ? AND is_active = 1", [1]) { try $0.string(3) }
            .joined(separator: "\n")
        #expect(members.contains("clan_members_active") || members.contains("COVERING INDEX"))
    }
}
