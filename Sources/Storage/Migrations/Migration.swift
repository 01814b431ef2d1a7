/// One numbered, named schema change. Append-only: once shipped, its SQL never changes
/// (the migrator records a checksum and refuses a database whose history does not match).
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// FNV-1a 64 of the SQL text, in hex: stable across runs and platforms, no dependency needed.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
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
    ]
}
