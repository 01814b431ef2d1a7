import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
@testable import ClanbotCLI
import TestSupport

/// `clanbot migrate --from PATH.sqlite` with CLANBOT_DB a PostgreSQL URL, end to end.
@Suite(.databaseTests) struct MigrateFromSQLiteTests {
    static let t0 = Date(epochMilliseconds: 1_750_000_000_000)

    /// A SQLite database with a bit of everything: a clan, members, snapshots (skills and activities, a blob-free
    /// JSON column), a webhook, and achievements whose AUTOINCREMENT counter is past the highest id left.
    static func fill(_ path: String) async throws {
        let store = try await Store(path: path)
        try await store.write { db in
            let clan = try db.clans.create(guildID: "123456789012345678", name: "Iron Legion", now: Self.t0)
            for (index, name) in ["Zezima", "B0aty", "Lynx Titan"].enumerated() {
                let account = try db.accounts.findOrCreate(try RSN(name), now: Self.t0)
                _ = try db.members.add(clanID: clan.id, accountID: account.id, now: Self.t0)
                for day in 0..<3 {
                    let gain = Int64(1_000 * (day + index))
                    let record = HiscoresRecord(
                        skills: [SkillScore(name: "Overall", rank: 10, level: 1500, xp: 50_000_000 + gain),
                                 SkillScore(name: "Attack", rank: 20, level: 99, xp: 13_034_431 + gain)],
                        activities: [ActivityScore(name: "Zulrah", rank: 5, score: 100 + day)])
                    _ = try db.snapshots.insert(
                        accountID: account.id, fetchedAt: Self.t0.addingTimeInterval(Double(day) * 86_400), requestedBoard: .regular,
                        resolvedType: nil, latencyMs: 12, record: record, rollbackRows: day == 2 ? ["Attack"] : [])
                }
                for threshold in [1, 2] {
                    try db.execute("""
                        INSERT INTO achievements (account_id, kind, metric, threshold, value, previous_at, reached_at, recorded_at)
                        VALUES (?, 'clues', 'all', ?, 5, 0, 1, 2)
                        """, [account.id, threshold])
                }
            }
            try db.execute("DELETE FROM achievements WHERE id = (SELECT max(id) FROM achievements)")
            _ = try db.webhooks.add(clanID: clan.id, url: "https://example.com/hook", provider: .custom, events: [.snapshotFinished], secret: "s3cret")
        }
        try await store.close()
    }

    @Test(.enabled(if: TestDatabaseBackend.isPostgresAvailable, Comment(rawValue: TestDatabaseBackend.postgresSkipNote)))
    func aSQLiteDatabaseIsCopiedCheckedAndCountsOnFromWhereItWas() async throws {
        let files = try TemporaryDirectory("migrate-from")
        let postgres = try TemporaryDirectory("migrate-to", backend: .postgres)
        let sqlite = files.path()
        let url = try postgres.location()
        try await Self.fill(sqlite)

        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["migrate", "--from", sqlite], environment: ["CLANBOT_DB": url], output: output)
        #expect(status == 0, "\(output.standardError)")
        #expect(output.standardOutput.contains("every table matches on both sides"))
        #expect(output.standardOutput.contains("schema version \(Migrator().latestVersion)"))
        #expect(!output.standardOutput.contains("secret") || !url.contains("secret"))  // the password never shows
        for line in ["snapshot_skills", "snapshots", "achievements", "clan_webhooks"] {
            #expect(output.standardOutput.contains("  \(line) "))
        }
        let snapshotLine = output.standardOutput.split(separator: "\n").first { $0.hasPrefix("  snapshot_skills ") }
        #expect(snapshotLine?.contains(" 18 rows ") == true)

        // What was copied reads back the same through the repositories, and ids go on past the copied ones.
        let original = try await Store(path: sqlite)
        let copy = try await Store(path: url)
        let before = try await original.read { db in try db.clans.all() }
        #expect(try await copy.read { db in try db.clans.all() } == before)
        let history = try await original.read { db in try db.snapshots.list(accountID: 1, from: Self.t0, through: Self.t0.addingTimeInterval(3 * 86_400)) }
        #expect(try await copy.read { db in try db.snapshots.list(accountID: 1, from: Self.t0, through: Self.t0.addingTimeInterval(3 * 86_400)) } == history)
        let clan = try await copy.write { db in try db.clans.create(guildID: "123456789012345678", name: "Second", now: Self.t0) }
        #expect(clan.id == 2)
        let achievement = try await copy.write { db in
            try db.execute("""
                INSERT INTO achievements (account_id, kind, metric, threshold, value, previous_at, reached_at, recorded_at)
                VALUES (1, 'clues', 'all', 3, 5, 0, 1, 2)
                """)
            return try db.lastInsertRowID
        }
        #expect(achievement == 7)  // 6 were given out in SQLite (the 6th deleted): never again
        try await original.close()
        try await copy.close()

        // A second copy into the now filled database is refused and changes nothing.
        let again = CapturedOutput()
        #expect(await CommandLineTool.main(arguments: ["migrate", "--from", sqlite], environment: ["CLANBOT_DB": url], output: again) == 1)
        #expect(again.standardError.contains("is not empty"))
        let recheck = try await Store(path: url)
        #expect(try await recheck.read { db in try db.scalar("SELECT count(*) FROM clans", as: Int.self) } == 2)
        try await recheck.close()
    }

    @Test func aSQLiteTargetOrAMissingSourceIsRefusedInWords() async throws {
        let files = try TemporaryDirectory("migrate-from")
        let output = CapturedOutput()
        #expect(await CommandLineTool.main(
            arguments: ["migrate", "--from", files.path("old.sqlite")], environment: ["CLANBOT_DB": files.path()], output: output) == 1)
        #expect(output.standardError.contains("set CLANBOT_DB (or --db) to a postgres:// URL"))
        let missing = CapturedOutput()
        #expect(await CommandLineTool.main(
            arguments: ["migrate", "--from", files.path("old.sqlite")],
            environment: ["CLANBOT_DB": "postgres://clanbot@127.0.0.1:1/clanbot?sslmode=disable"], output: missing) == 1)
        #expect(missing.standardError.contains("there is no SQLite database at"))
    }
}
