import Foundation

/// A migration as recorded in `schema_migrations`.
public struct AppliedMigration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let checksum: String
    public let appliedAt: Date
}

/// Why the database's schema could not be brought up to date.
public enum MigrationError: Error, Equatable, CustomStringConvertible {
    case invalidList(String)
    case databaseIsNewer(databaseVersion: Int, knownVersion: Int)
    case changedMigration(version: Int, recordedName: String, knownName: String)
    case failed(version: Int, name: String, underlying: DatabaseError)

    public var description: String {
        switch self {
        case .invalidList(let reason):
            "the list of migrations in this build is invalid: \(reason)"
        case .databaseIsNewer(let databaseVersion, let knownVersion):
            "the database is at schema version \(databaseVersion), newer than this build knows (\(knownVersion)); run a newer clanbot or restore a backup"
        case .changedMigration(let version, let recordedName, let knownName):
            "migration \(version) was recorded as '\(recordedName)' but this build ships it as '\(knownName)' (or with different SQL); shipped migrations must never change — add a new migration instead"
        case .failed(let version, let name, let underlying):
            "migration \(version) (\(name)) failed and was rolled back: \(underlying)"
        }
    }
}

/// Applies the numbered migrations a database lacks, each in its own transaction, and records them.
/// Safe when two processes open the same file at once: each step re-checks under the write lock.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration] = Migrations.all) {
        self.migrations = migrations
    }

    /// The version the database will be at after `migrate`.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    static let createHistory = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT    NOT NULL,
            checksum   TEXT    NOT NULL,
            applied_at INTEGER NOT NULL
        ) STRICT
        """

    static let createPostgresHistory = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    BIGINT PRIMARY KEY,
            name       TEXT   NOT NULL,
            checksum   TEXT   NOT NULL,
            applied_at BIGINT NOT NULL
        )
        """

    /// Every migration recorded in the database, oldest first (empty for a new file).
    public func appliedMigrations(in database: Database) throws -> [AppliedMigration] {
        let existsSQL = switch database.dialect {
        case .sqlite: "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'"
        case .postgres:
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
        }
        let exists = try database.scalar(existsSQL, as: Int.self) ?? 0
        guard exists > 0 else { return [] }
        return try database.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version") { row in
            AppliedMigration(version: try row.int(0), name: try row.string(1), checksum: try row.string(2), appliedAt: try row.date(3))
        }
    }

    /// The highest recorded version, 0 for a new file.
    public func currentVersion(of database: Database) throws -> Int {
        try appliedMigrations(in: database).last?.version ?? 0
    }

    /// Applies what is missing and returns what it applied (empty when the database was up to date).
    @discardableResult
    public func migrate(_ database: Database, now: @Sendable () -> Date = { Date() }) throws -> [Migration] {
        try validateList()
        if database.dialect == .postgres {
            // Two processes starting at once must not both create the table: the first takes the write lock.
            try database.transaction(.immediate) { try database.executeScript(Self.createPostgresHistory) }
        } else {
            try database.executeScript(Self.createHistory)
        }
        try verifyHistory(try appliedMigrations(in: database), dialect: database.dialect)
        var applied: [Migration] = []
        for migration in migrations {
            let didApply = try database.transaction(.immediate) { () throws -> Bool in
                // Another process may have applied it since we looked.
                let recorded = try database.scalar("SELECT name FROM schema_migrations WHERE version = ?", [migration.version], as: String.self)
                if recorded != nil { return false }
                do {
                    try database.executeScript(migration.sql(for: database.dialect))
                } catch let error as DatabaseError {
                    throw MigrationError.failed(version: migration.version, name: migration.name, underlying: error)
                }
                try database.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                    [migration.version, migration.name, migration.checksum(for: database.dialect), now()])
                return true
            }
            if didApply { applied.append(migration) }
        }
        return applied
    }

    private func validateList() throws {
        for (offset, migration) in migrations.enumerated() where migration.version != offset + 1 {
            throw MigrationError.invalidList("migration '\(migration.name)' has version \(migration.version), expected \(offset + 1): versions are 1, 2, 3, ... in order")
        }
    }

    private func verifyHistory(_ history: [AppliedMigration], dialect: SQLDialect) throws {
        for record in history {
            guard record.version >= 1 else {
                throw MigrationError.invalidList("schema_migrations records version \(record.version); versions start at 1")
            }
            guard record.version <= migrations.count else {
                throw MigrationError.databaseIsNewer(databaseVersion: history.last?.version ?? record.version, knownVersion: latestVersion)
            }
            let known = migrations[record.version - 1]
            guard known.name == record.name, known.checksum(for: dialect) == record.checksum else {
                throw MigrationError.changedMigration(version: record.version, recordedName: record.name, knownName: known.name)
            }
        }
    }
}
