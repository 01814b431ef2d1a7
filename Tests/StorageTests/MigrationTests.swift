import DatabaseTestTraits
import Foundation
import TestSupport
import Testing
import TestSupport
@testable import Storage

@Suite(.databaseTests) struct MigrationTests {
    /// Shipped migrations, by name, in order. Append here when you append a migration; never edit a line.
    static let shipped = ["initial_schema", "contest_entry_files"]

    @Test func shippedMigrationsNeverChangeNameOrOrder() {
        #expect(Migrations.all.map(\.name).prefix(Self.shipped.count).elementsEqual(Self.shipped))
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.all.count))
    }

    @Test(arguments: TestDatabaseBackend.all) func migratingIsRecordedAndIdempotent(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let database = try Database(path: directory.location())
        let migrator = Migrator()
        #expect(try migrator.currentVersion(of: database) == 0)
        let applied = try migrator.migrate(database, now: { Date(epochMilliseconds: 1_000) })
        #expect(applied.map(\.version) == Array(1...Migrations.all.count))
        let recorded = try migrator.appliedMigrations(in: database)
        #expect(recorded.map(\.name) == Migrations.all.map(\.name))
        #expect(recorded.map(\.checksum) == Migrations.all.map { $0.checksum(for: database.dialect) })
        #expect(recorded.allSatisfy { $0.appliedAt == Date(epochMilliseconds: 1_000) })
        let schemaBefore = try Self.schema(of: database)
        #expect(try migrator.migrate(database).isEmpty)
        #expect(try Self.schema(of: database) == schemaBefore)
        #expect(try migrator.appliedMigrations(in: database) == recorded)
    }

    @Test(arguments: TestDatabaseBackend.all) func everyTableOfTheDataModelExists(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let database = try directory.migratedDatabase()
        let tables = try Self.tables(of: database)
        var expected: Set = [
            "schema_migrations", "accounts", "snapshots", "skills", "activities", "snapshot_skills", "snapshot_activities",
            "clans", "clan_members", "discord_links", "clan_snapshots", "clan_snapshot_members", "clan_schedules",
            "clan_stats", "clan_leaderboards", "clan_webhooks", "contests", "contest_rules", "contest_entries", "contest_draws",
            // Achievement ids never come back after a delete (an announcer's cursor relies on it): AUTOINCREMENT's table.
            "achievements", "sqlite_sequence",
            "announcement_channels", "announcement_outbox", "clan_activity",
            "contest_series", "contest_series_editions",
            "identify_buckets", "clan_events",
        ]
        if backend == .postgres { expected.remove("sqlite_sequence") }  // identity columns keep their own sequences
        #expect(tables == expected)
        if backend == .sqlite {
            #expect(try database.scalar("PRAGMA foreign_key_check", as: String.self) == nil)
            #expect(try database.scalar("PRAGMA integrity_check", as: String.self) == "ok")
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func aDatabaseFromANewerBuildIsRefused(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let database = try directory.migratedDatabase()
        let next = Migrations.all.count + 1
        try database.execute("INSERT INTO schema_migrations VALUES (?, 'from_the_future', '0', 0)", [next])
        #expect(throws: MigrationError.databaseIsNewer(databaseVersion: next, knownVersion: Migrations.all.count)) {
            try Migrator().migrate(database)
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func anEditedShippedMigrationIsRefused(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let database = try directory.migratedDatabase()
        try database.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
        #expect(throws: MigrationError.changedMigration(version: 1, recordedName: "initial_schema", knownName: "initial_schema")) {
            try Migrator().migrate(database)
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func aFailingMigrationRollsBackAndSaysWhich(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let database = try Database(path: directory.location())
        let broken = Migrator(migrations: [
            Migration(version: 1, name: "good", sql: "CREATE TABLE a (x INTEGER);"),
            Migration(version: 2, name: "bad", sql: "CREATE TABLE b (y INTEGER); CREATE TABLE a (x INTEGER);"),
        ])
        #expect {
            try broken.migrate(database)
        } throws: { error in
            guard case .failed(let version, let name, _) = error as? MigrationError else { return false }
            return version == 2 && name == "bad" && "\(error)".contains("already exists")
        }
        #expect(try broken.currentVersion(of: database) == 1)
        #expect(try !Self.tables(of: database).contains("b"))
    }

    @Test(arguments: TestDatabaseBackend.all) func versionsMustBeConsecutive(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let database = try Database(path: directory.location())
        let gappy = Migrator(migrations: [Migration(version: 2, name: "skips_one", sql: "SELECT 1;")])
        #expect(throws: MigrationError.self) { try gappy.migrate(database) }
    }

    /// The names of the tables, on either engine.
    static func tables(of database: Database) throws -> Set<String> {
        switch database.dialect {
        case .sqlite: Set(try database.query("SELECT name FROM sqlite_schema WHERE type = 'table'") { try $0.string(0) })
        case .postgres:
            Set(try database.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()") { try $0.string(0) })
        }
    }

    /// The whole schema as text, on either engine.
    static func schema(of database: Database) throws -> [String?] {
        switch database.dialect {
        case .sqlite: try database.query("SELECT sql FROM sqlite_schema ORDER BY name") { try $0.get(0, as: String?.self) }
        case .postgres:
            try database.query("""
                SELECT table_name || '.' || column_name || ' ' || data_type || coalesce(' ' || column_default, '')
                FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1
                """) { try $0.get(0, as: String?.self) }
        }
    }
}
