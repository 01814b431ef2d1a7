import Foundation
import Testing
import TestSupport
@testable import Storage

@Suite struct MigrationTests {
    /// Shipped migrations, by name, in order. Append here when you append a migration; never edit a line.
    static let shipped = ["initial_schema", "contest_entry_files"]

    @Test func shippedMigrationsNeverChangeNameOrOrder() {
        #expect(Migrations.all.map(\.name).prefix(Self.shipped.count).elementsEqual(Self.shipped))
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.all.count))
    }

    @Test func migratingIsRecordedAndIdempotent() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        let migrator = Migrator()
        #expect(try migrator.currentVersion(of: database) == 0)
        let applied = try migrator.migrate(database, now: { Date(epochMilliseconds: 1_000) })
        #expect(applied.map(\.version) == Array(1...Migrations.all.count))
        let recorded = try migrator.appliedMigrations(in: database)
        #expect(recorded.map(\.name) == Migrations.all.map(\.name))
        #expect(recorded.map(\.checksum) == Migrations.all.map(\.checksum))
        #expect(recorded.allSatisfy { $0.appliedAt == Date(epochMilliseconds: 1_000) })
        let schemaBefore = try database.query("SELECT sql FROM sqlite_schema ORDER BY name") { try $0.get(0, as: String?.self) }
        #expect(try migrator.migrate(database).isEmpty)
        #expect(try database.query("SELECT sql FROM sqlite_schema ORDER BY name") { try $0.get(0, as: String?.self) } == schemaBefore)
        #expect(try migrator.appliedMigrations(in: database) == recorded)
    }

    @Test func everyTableOfTheDataModelExists() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.migratedDatabase()
        let tables = Set(try database.query("SELECT name FROM sqlite_schema WHERE type = 'table'") { try $0.string(0) })
        let expected: Set = [
            "schema_migrations", "accounts", "snapshots", "skills", "activities", "snapshot_skills", "snapshot_activities",
            "clans", "clan_members", "discord_links", "clan_snapshots", "clan_snapshot_members", "clan_schedules",
            "clan_stats", "clan_leaderboards", "clan_webhooks", "contests", "contest_rules", "contest_entries", "contest_draws",
            // Achievement ids never come back after a delete (an announcer's cursor relies on it): AUTOINCREMENT's table.
            "achievements", "sqlite_sequence",
            "announcement_channels", "announcement_outbox", "clan_activity",
            "contest_series", "contest_series_editions",
        ]
        #expect(tables == expected)
        #expect(try database.scalar("PRAGMA foreign_key_check", as: String.self) == nil)
        #expect(try database.scalar("PRAGMA integrity_check", as: String.self) == "ok")
    }

    @Test func aDatabaseFromANewerBuildIsRefused() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.migratedDatabase()
        let next = Migrations.all.count + 1
        try database.execute("INSERT INTO schema_migrations VALUES (?, 'from_the_future', '0', 0)", [next])
        #expect(throws: MigrationError.databaseIsNewer(databaseVersion: next, knownVersion: Migrations.all.count)) {
            try Migrator().migrate(database)
        }
    }

    @Test func anEditedShippedMigrationIsRefused() throws {
        let directory = try TemporaryDirectory()
        let database = try directory.migratedDatabase()
        try database.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
        #expect(throws: MigrationError.changedMigration(version: 1, recordedName: "initial_schema", knownName: "initial_schema")) {
            try Migrator().migrate(database)
        }
    }

    @Test func aFailingMigrationRollsBackAndSaysWhich() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
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
        #expect(try database.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'b'", as: Int.self) == 0)
    }

    @Test func versionsMustBeConsecutive() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        let gappy = Migrator(migrations: [Migration(version: 2, name: "skips_one", sql: "SELECT 1;")])
        #expect(throws: MigrationError.self) { try gappy.migrate(database) }
    }
}
