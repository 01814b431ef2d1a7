import DatabaseTestTraits
import Domain
import Foundation
import TestSupport
import Testing
import TestSupport
@testable import Storage

/// The tables no repository here writes yet (batch runs, caches, contests): written and read with SQL,
/// with their CHECKs, uniqueness and ON DELETE rules, so the teams building on them can rely on these.
@Suite(.databaseTests) struct SchemaTablesTests {
    struct World {
        let db: Database
        let clan: Clan
        let account: Account
        let snapshot: PlayerSnapshot
    }

    static func world(_ directory: TemporaryDirectory) throws -> World {
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        let account = try Fixtures.account(db, "Zezima")
        try db.members.add(clanID: clan.id, accountID: account.id)
        let snapshot = try db.snapshots.insert(
            accountID: account.id, fetchedAt: Fixtures.t0, requestedBoard: .regular, resolvedType: .regular, latencyMs: 5, record: Fixtures.record())
        return World(db: db, clan: clan, account: account, snapshot: snapshot)
    }

    static func isCheck(_ error: any Error) -> Bool { (error as? DatabaseError)?.isCheckViolation == true }
    static func isUnique(_ error: any Error) -> Bool { (error as? DatabaseError)?.isUniqueViolation == true }
    static func isForeignKey(_ error: any Error) -> Bool { (error as? DatabaseError)?.isForeignKeyViolation == true }

    @Test(arguments: TestDatabaseBackend.all) func clanSnapshotRunsAndTheirMembers(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let w = try Self.world(directory)
        let db = w.db
        try db.execute(
            "INSERT INTO clan_snapshots (clan_id, job_id, mode, requested_by, queued_at, member_count) VALUES (?, 'job-a', 'auto', '42', ?, 1)",
            [w.clan.id, Fixtures.t0])
        let runID = try db.lastInsertRowID
        try db.execute(
            "INSERT INTO clan_snapshot_members (clan_snapshot_id, account_id, snapshot_id, status, latency_ms, finished_at) VALUES (?, ?, ?, 'succeeded', 12, ?)",
            [runID, w.account.id, w.snapshot.id, Fixtures.at(hours: 1)])
        try db.execute(
            "UPDATE clan_snapshots SET status = 'partial', started_at = ?, finished_at = ?, latency_ms = 900, succeeded_count = 1 WHERE id = ?",
            [Fixtures.t0, Fixtures.at(hours: 1), runID])
        let row = try #require(try db.queryFirst(
            "SELECT r.status, r.job_id, m.status, m.snapshot_id FROM clan_snapshots r JOIN clan_snapshot_members m ON m.clan_snapshot_id = r.id") { row in
            (try row.string(0), try row.string(1), try row.string(2), try row.int64(3))
        })
        #expect(row.0 == "partial" && row.1 == "job-a" && row.2 == "succeeded" && row.3 == w.snapshot.id)

        #expect(throws: DatabaseError.self) { try db.execute("UPDATE clan_snapshots SET status = 'stuck' WHERE id = ?", [runID]) }
        #expect { try db.execute("UPDATE clan_snapshot_members SET status = 'lost'") } throws: { Self.isCheck($0) }
        #expect {
            try db.execute("INSERT INTO clan_snapshots (clan_id, job_id, mode, queued_at) VALUES (?, 'job-a', 'auto', 0)", [w.clan.id])
        } throws: { Self.isUnique($0) }
        #expect {  // a scheduled run must say which slot it is
            try db.execute("INSERT INTO clan_snapshots (clan_id, job_id, mode, source, queued_at) VALUES (?, 'job-b', 'auto', 'schedule', 0)", [w.clan.id])
        } throws: { Self.isCheck($0) }
        #expect {
            try db.execute("INSERT INTO clan_snapshots (clan_id, job_id, mode, queued_at) VALUES (?, 'job-c', 'hiscore_oldschool', 0)", [w.clan.id])
        } throws: { Self.isCheck($0) }

        // The schedule can point at its last run; deleting the run clears that pointer.
        try db.schedules.set(clanID: w.clan.id, cron: "0 6 * * *", nextRunAt: nil)
        try db.schedules.recordRun(clanID: w.clan.id, status: .partial, clanSnapshotID: runID)
        #expect(try db.schedules.get(clanID: w.clan.id).lastClanSnapshotID == runID)
        // Deleting a snapshot keeps the trace, without the link.
        try db.execute("DELETE FROM snapshots WHERE id = ?", [w.snapshot.id])
        #expect(try db.scalar("SELECT count(*) FROM clan_snapshot_members WHERE snapshot_id IS NULL", as: Int.self) == 1)
        try db.execute("DELETE FROM clan_snapshots WHERE id = ?", [runID])
        #expect(try db.scalar("SELECT count(*) FROM clan_snapshot_members", as: Int.self) == 0)
        #expect(try db.schedules.get(clanID: w.clan.id).lastClanSnapshotID == nil)
    }

    @Test(arguments: TestDatabaseBackend.all) func statsAndLeaderboardCaches(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let w = try Self.world(directory)
        let db = w.db
        let payload = #"{"totals":{"xp":1000,"levels":2}}"#
        try db.execute(
            "INSERT INTO clan_stats (clan_id, timeframe, start_at, end_at, generated_at, payload) VALUES (?, '7d', ?, ?, ?, ?)",
            [w.clan.id, Fixtures.t0, Fixtures.at(hours: 168), Fixtures.at(hours: 168), payload])
        let xp = backend == .sqlite ? "payload ->> '$.totals.xp'" : "CAST(CAST(payload AS jsonb) #>> '{totals,xp}' AS BIGINT)"
        #expect(try db.scalar("SELECT \(xp) FROM clan_stats", as: Int.self) == 1000)
        #expect {
            try db.execute(
                "INSERT INTO clan_stats (clan_id, timeframe, start_at, end_at, generated_at, payload) VALUES (?, '7d', ?, ?, 0, '{}')",
                [w.clan.id, Fixtures.t0, Fixtures.at(hours: 168)])
        } throws: { Self.isUnique($0) }
        #expect {
            try db.execute("INSERT INTO clan_stats (clan_id, timeframe, start_at, end_at, generated_at, payload) VALUES (?, '7d', 0, 1, 0, 'not json')", [w.clan.id])
        } throws: { Self.isCheck($0) }
        #expect {
            try db.execute("INSERT INTO clan_stats (clan_id, timeframe, start_at, end_at, generated_at, payload) VALUES (?, 'year', 0, 1, 0, '{}')", [w.clan.id])
        } throws: { Self.isCheck($0) }
        #expect {
            try db.execute("INSERT INTO clan_stats (clan_id, timeframe, start_at, end_at, generated_at, payload) VALUES (?, 'custom', 5, 1, 0, '{}')", [w.clan.id])
        } throws: { Self.isCheck($0) }

        try db.execute(
            "INSERT INTO clan_leaderboards (clan_id, metric, metric_target, timeframe, start_at, end_at, generated_at, payload) VALUES (?, 'skill_xp', 'Attack', '30d', 0, 1, 0, '[]')",
            [w.clan.id])
        try db.execute(
            "INSERT INTO clan_leaderboards (clan_id, metric, timeframe, start_at, end_at, generated_at, payload) VALUES (?, 'clues', '30d', 0, 1, 0, '[]')",
            [w.clan.id])
        #expect(try db.query("SELECT metric || ':' || metric_target FROM clan_leaderboards ORDER BY id") { try $0.string(0) } == ["skill_xp:Attack", "clues:"])
        #expect {
            try db.execute("INSERT INTO clan_leaderboards (clan_id, metric, timeframe, start_at, end_at, generated_at, payload) VALUES (?, 'pets', '30d', 0, 1, 0, '[]')", [w.clan.id])
        } throws: { Self.isCheck($0) }
        try db.clans.delete(id: w.clan.id)
        #expect(try db.scalar("SELECT (SELECT count(*) FROM clan_stats) + (SELECT count(*) FROM clan_leaderboards)", as: Int.self) == 0)
    }

    @Test(arguments: TestDatabaseBackend.all) func contestsRulesEntriesAndDraws(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let w = try Self.world(directory)
        let db = w.db
        let insertContest = "INSERT INTO contests (clan_id, name, start_at, end_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
        try db.execute(insertContest, [w.clan.id, "Slayer week", Fixtures.t0, Fixtures.at(hours: 168), Fixtures.t0, Fixtures.t0])
        let contestID = try db.lastInsertRowID
        #expect(try db.scalar("SELECT status || ' ' || winners_count || ' ' || randomness_mode || ' ' || scheme FROM contests", as: String.self)
            == "draft 1 drand clanbot-draw-v1")
        try db.execute(
            "INSERT INTO contest_rules (contest_id, position, type, targets, threshold, weight, title, created_at) VALUES (?, 1, 'skill_xp', '[\"Slayer\"]', 100000, 2, '100k Slayer xp', 0)",
            [contestID])
        let ruleID = try db.lastInsertRowID
        #expect { try db.execute("UPDATE contest_rules SET weight = 0") } throws: { Self.isCheck($0) }
        #expect { try db.execute("UPDATE contest_rules SET type = 'pet_hunt'") } throws: { Self.isCheck($0) }
        #expect { try db.execute("UPDATE contest_rules SET comparator = '<'") } throws: { Self.isCheck($0) }

        // Activating needs a commitment; ending needs the entries' digest and count.
        #expect { try db.execute("UPDATE contests SET status = 'active'") } throws: { Self.isCheck($0) }
        let secret = [UInt8](repeating: 7, count: 32)
        try db.execute(
            "UPDATE contests SET status = 'active', secret = ?, seed_commitment = 'abc', beacon_chain = 'quicknet', beacon_round = 123, activated_at = ? WHERE id = ?",
            [secret, Fixtures.t0, contestID])
        #expect(try db.scalar("SELECT secret FROM contests", as: [UInt8].self) == secret)
        try db.execute(
            "INSERT INTO contest_entries (contest_id, rule_id, account_id, entry_count, proof, created_at) VALUES (?, ?, ?, 2, ?, 0)",
            [contestID, ruleID, w.account.id, #"{"snapshots":[1,2],"xp_delta":150000}"#])
        let entryID = try db.lastInsertRowID
        #expect {
            try db.execute("INSERT INTO contest_entries (contest_id, rule_id, account_id, proof, created_at) VALUES (?, ?, ?, '{}', 0)", [contestID, ruleID, w.account.id])
        } throws: { Self.isUnique($0) }
        #expect { try db.execute("UPDATE contests SET status = 'ended'") } throws: { Self.isCheck($0) }
        try db.execute("UPDATE contests SET status = 'ended', entries_digest = 'def', entry_count = 2 WHERE id = ?", [contestID])

        let insertDraw = """
            INSERT INTO contest_draws (contest_id, winner_position, drawn_at, winner_account_id, winner_entry_id, ticket_index, counter, rng_proof)
            VALUES (?, ?, ?, ?, ?, ?, 0, '{}')
            """
        try db.execute(insertDraw, [contestID, 1, Fixtures.at(hours: 200), w.account.id, entryID, 1])
        #expect { try db.execute(insertDraw, [contestID, 1, Fixtures.at(hours: 201), w.account.id, entryID, 0]) } throws: { Self.isUnique($0) }
        try db.execute("UPDATE contests SET status = 'drawn', seed_reveal = '0707', drawn_at = ? WHERE id = ?", [Fixtures.at(hours: 200), contestID])
        #expect(try db.scalar("SELECT winner_account_id FROM contest_draws", as: Int64.self) == w.account.id)

        // An account with entries or wins cannot vanish; a clan's deletion takes its contests along.
        #expect { try db.execute("DELETE FROM accounts WHERE id = ?", [w.account.id]) } throws: { Self.isForeignKey($0) }
        #expect {
            try translatingConstraints({ try db.execute("DELETE FROM accounts WHERE id = ?", [w.account.id]) }) { _ in nil }
        } throws: { error in
            guard case .referenceViolation(let words) = error as? StorageError else { return false }
            return words.contains("still in use")
        }

        // Cancelling keeps a reason, and must give one.
        try db.execute(insertContest, [w.clan.id, "Boss month", Fixtures.t0, Fixtures.at(hours: 1), Fixtures.t0, Fixtures.t0])
        let second = try db.lastInsertRowID
        #expect { try db.execute("UPDATE contests SET status = 'cancelled' WHERE id = ?", [second]) } throws: { Self.isCheck($0) }
        try db.execute("UPDATE contests SET status = 'cancelled', cancel_reason = 'server event moved', cancelled_at = 0 WHERE id = ?", [second])
        #expect { try db.execute(insertContest, [w.clan.id, "Backwards", Fixtures.at(hours: 2), Fixtures.t0, 0, 0]) } throws: { Self.isCheck($0) }

        try db.clans.delete(id: w.clan.id)
        for table in ["contests", "contest_rules", "contest_entries", "contest_draws"] {
            #expect(try db.scalar("SELECT count(*) FROM \(table)", as: Int.self) == 0)
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func checkAndForeignKeyFailuresReadAsWords(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        #expect {
            try translatingConstraints({
                try db.execute("INSERT INTO clan_members (clan_id, account_id, joined_at) VALUES (1, 1, 0)")
            }) { _ in nil }
        } throws: { error in
            guard case .referenceViolation(let words) = error as? StorageError else { return false }
            return words.contains("does not exist")
        }
        #expect {
            try translatingConstraints({
                try db.execute("INSERT INTO accounts (display_name, normalised_name, created_at, updated_at) VALUES ('', '', 0, 0)")
            }) { _ in nil }
        } throws: { error in
            guard case .invalidValue(let words) = error as? StorageError else { return false }
            return words.contains("CHECK constraint failed") || words.contains("violates check constraint")
        }
    }
}
