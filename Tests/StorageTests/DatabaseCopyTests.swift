import DatabaseTestTraits
import Domain
import Foundation
import Testing
@testable import Storage
import TestSupport

/// The SQLite → PostgreSQL copy behind `clanbot migrate --from`, paging through tiny pages so every table's
/// keyset pagination (integer keys, composite keys, text keys) is crossed many times.
@Suite(.databaseTests) struct DatabaseCopyTests {
    @Test(.enabled(if: TestDatabaseBackend.isPostgresAvailable, Comment(rawValue: TestDatabaseBackend.postgresSkipNote)))
    func tinyPagesCopyEveryRowAndTheDigestsMatch() throws {
        let files = try TemporaryDirectory("copy-from")
        let postgres = try TemporaryDirectory(.postgres)
        let source = try files.migratedDatabase()
        try source.transaction {
            let clan = try source.clans.create(guildID: Fixtures.guild, name: "Iron Legion", now: Fixtures.t0)
            // User ids of different lengths: byte order and numeric order differ ("9" after "10…").
            for (index, name) in ["Zezima", "B0aty", "Lynx Titan", "Woox", "Torvesta"].enumerated() {
                let account = try Fixtures.account(source, name)
                _ = try source.members.add(clanID: clan.id, accountID: account.id, now: Fixtures.t0)
                try source.discordLinks.link(guildID: Fixtures.guild, discordUserID: index % 2 == 0 ? "9\(index)" : "10\(index)00",
                                      accountID: account.id, now: Fixtures.t0)
                for hour in 0..<2 {
                    _ = try source.snapshots.insert(
                        accountID: account.id, fetchedAt: Fixtures.at(hours: Double(hour)), requestedBoard: .regular,
                        resolvedType: nil, latencyMs: 5, record: Fixtures.record(gain: Int64(hour * 100 + index)))
                }
            }
        }
        let target = try Database(path: try postgres.location())
        let report = try DatabaseCopy(from: source, to: target, pageSize: 2).run()
        let rows = Dictionary(uniqueKeysWithValues: report.tables.map { ($0.name, $0.digest.rows) })
        #expect(rows["snapshot_skills"] == 30 && rows["snapshot_activities"] == 20 && rows["discord_links"] == 5)
        #expect(report.tables.firstIndex { $0.name == "accounts" }! < report.tables.firstIndex { $0.name == "snapshots" }!)
        // The digests are those of the source, read alone.
        let copy = DatabaseCopy(from: source, to: target, pageSize: 3)
        for table in try copy.tablesInForeignKeyOrder() {
            #expect(try copy.digest(table, in: source) == report.tables.first { $0.name == table.name }?.digest)
        }
        #expect(throws: DatabaseCopyError.targetNotEmpty(tables: ["accounts", "activities", "clans", "clan_members", "discord_links",
                                                                  "skills", "snapshots", "snapshot_activities", "snapshot_skills"])) {
            try DatabaseCopy(from: source, to: target).run()
        }
    }
}
