import DatabaseTestTraits
import Foundation
import Testing
import TestSupport
@testable import Storage

@Suite(.databaseTests) struct StoreTests {
    static func insertAccount(_ db: Database, _ name: String, _ now: Date) throws {
        try db.execute(
            "INSERT INTO accounts (display_name, normalised_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [name, name.lowercased(), now, now])
    }

    @Test func openingAndMigratingRunOnTheStoresOwnThread() async throws {
        let thread = try DatabaseThread(name: "opening test")
        defer { thread.stop() }
        let name = try await thread.perform { Thread.current.threadDictionary[DatabaseThread.nameKey] as? String }
        #expect(name == "opening test")
    }

    @Test func databaseSuitesRunOffTheCooperativePoolWhenPostgreSQLRuns() {
        #expect(DatabaseTestScope.isOnScopeThread == TestDatabaseBackend.isPostgresAvailable)
    }

    @Test(arguments: TestDatabaseBackend.all) func opensMigratedAndWritesInATransaction(_ backend: TestDatabaseBackend) async throws {
        struct Boom: Error {}
        let directory = try TemporaryDirectory(backend)
        let store = try await Store(path: directory.location())
        #expect(store.schemaVersion == Migrations.all.count)
        let now = Date(epochMilliseconds: 1_700_000_000_000)
        try await store.write { db in try Self.insertAccount(db, "Zezima", now) }
        await #expect(throws: Boom.self) {
            try await store.write { db in
                try Self.insertAccount(db, "Lynx Titan", now)
                throw Boom()
            }
        }
        let names = try await store.read { db in try db.query("SELECT display_name FROM accounts") { try $0.string(0) } }
        #expect(names == ["Zezima"])
    }

    @Test(arguments: TestDatabaseBackend.all) func twoStoresShareOneFile(_ backend: TestDatabaseBackend) async throws {
        let directory = try TemporaryDirectory(backend)
        let first = try await Store(path: directory.location())
        let second = try await Store(path: directory.location())
        let now = Date()
        try await first.write { db in try Self.insertAccount(db, "Woox", now) }
        let seen = try await second.read { db in try db.scalar("SELECT count(*) FROM accounts", as: Int.self) }
        #expect(seen == 1)
        // Both write at once: the busy timeout serialises them, nothing is lost.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in [first, second].enumerated() {
                group.addTask {
                    for n in 0..<20 {
                        try await store.write { db in try Self.insertAccount(db, "p\(index)x\(n)", now) }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await first.read { db in try db.scalar("SELECT count(*) FROM accounts", as: Int.self) } == 41)
    }

    @Test(arguments: TestDatabaseBackend.all) func foreignKeysAreEnforced(_ backend: TestDatabaseBackend) async throws {
        let directory = try TemporaryDirectory(backend)
        let store = try await Store(path: directory.location())
        await #expect {
            try await store.write { db in
                try db.execute(
                    "INSERT INTO snapshots (account_id, fetched_at, requested_mode, latency_ms, total_xp, total_level) VALUES (999, 0, 'regular', 1, 0, 0)")
            }
        } throws: { error in
            (error as? DatabaseError)?.isForeignKeyViolation == true
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func aClosedStoreSaysSo(_ backend: TestDatabaseBackend) async throws {
        let directory = try TemporaryDirectory(backend)
        let store = try await Store(path: directory.location())
        try await store.close()
        await #expect(throws: DatabaseError.self) { try await store.read { db in try db.scalar("SELECT 1", as: Int.self) } }
    }

    @Test(arguments: TestDatabaseBackend.all) func workRunsOnTheStoresOwnThread(_ backend: TestDatabaseBackend) async throws {
        let directory = try TemporaryDirectory(backend)
        for round in 0..<5 {
            let store = try await Store(path: directory.location("db\(round).sqlite"))
            let name = try await store.read { _ in Thread.current.threadDictionary[DatabaseThread.nameKey] as? String }
            #expect(name == (backend == .sqlite ? "clanbot.sqlite db\(round).sqlite" : "clanbot.postgres " + store.path))
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func aBusyDatabaseIsReportedAsBusy(_ backend: TestDatabaseBackend) async throws {
        let directory = try TemporaryDirectory(backend)
        let store = try await Store(path: directory.location(), options: Database.Options(busyTimeoutMilliseconds: 50))
        let holder = try Database(path: directory.location())
        if backend == .sqlite {
            try holder.executeScript("BEGIN IMMEDIATE")
        } else {
            // The lock every PostgreSQL write transaction takes (see Database.transaction).
            try holder.executeScript("BEGIN")
            try holder.execute("SELECT pg_advisory_xact_lock(\(PostgresBackend.writeLockKey))")
        }
        await #expect {
            try await store.write { db in try StoreTests.insertAccount(db, "Blocked", Date()) }
        } throws: { error in
            (error as? DatabaseError)?.isBusy == true
        }
        try holder.executeScript("ROLLBACK")
        try await store.write { db in try StoreTests.insertAccount(db, "Unblocked", Date()) }
    }

    @Test func aBackupIsAConsistentCopyTakenWhileTheStoreRuns() async throws {  // SQLite's online backup
        let directory = try TemporaryDirectory()
        let store = try await Store(path: directory.location())
        try await store.write { db in try StoreTests.insertAccount(db, "Zezima", Date()) }
        let copy = directory.path("backup.sqlite")
        try await store.backup(to: copy)
        try await store.write { db in try StoreTests.insertAccount(db, "After", Date()) }
        let restored = try Database(path: copy)
        #expect(try restored.query("SELECT display_name FROM accounts") { try $0.string(0) } == ["Zezima"])
        #expect(try Migrator().currentVersion(of: restored) == Migrations.all.count)
        await #expect {
            try await store.backup(to: copy)
        } throws: { error in
            "\(error)".contains("already exists")
        }
    }
}
