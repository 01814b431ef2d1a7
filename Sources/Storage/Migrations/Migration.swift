/// One numbered, named schema change, written for each engine: `sql` for SQLite and `postgresSQL` for
/// PostgreSQL (the same tables, columns and constraints in its dialect; nil when the SQLite text suits both).
/// Both share the version number, so a database of either kind is at one schema version. Append-only: once
/// shipped, neither text changes (the migrator records a checksum and refuses a database whose history does not match).
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
    public let postgresSQL: String?

    public init(version: Int, name: String, sql: String, postgresSQL: String? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        self.postgresSQL = postgresSQL
    }

    /// The text to run on `dialect`.
    public func sql(for dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: sql
        case .postgres: postgresSQL ?? sql
        }
    }

    /// FNV-1a 64 of the SQLite text, in hex: stable across runs and platforms, no dependency needed.
    public var checksum: String { checksum(for: .sqlite) }

    /// FNV-1a 64 of the text run on `dialect`.
    public func checksum(for dialect: SQLDialect) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql(for: dialect).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Every migration this build knows, in order. Add new ones at the end; never edit or remove one.
public enum Migrations {
    public static let all: [Migration] = [
        Migration001InitialSchema.migration,
        Migration002ContestEntryFiles.migration,
        Migration003SnapshotRollbacks.migration,
        Migration004Achievements.migration,
        Migration005Announcements.migration,
        Migration006ClanActivity.migration,
        Migration007ContestKinds.migration,
        Migration008ContestSeries.migration,
        Migration009StandingsSchedule.migration,
        Migration010MemberClaims.migration,
        Migration011IdentifyBuckets.migration,
        Migration012ClanEvents.migration,
    ]
}
