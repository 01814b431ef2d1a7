/// Migration 2: what a contest's end publishes, kept byte for byte.
///
/// - `contests.entries_file`: the exact canonical entry file (docs/draw-scheme.md §4.1). Rebuilding it from the
///   entries at draw time would hash a different file if an account was renamed meanwhile.
/// - `contests.exclusions`: the members the end left out and why (no baseline snapshot, left the clan), as JSON
///   `[{"account_id": 1, "name": "...", "reason": "..."}]`, so the published result can be shown again.
///
/// SHIPPED once merged: never edit this text.
enum Migration002ContestEntryFiles {
    static let migration = Migration(version: 2, name: "contest_entry_files", sql: sql, postgresSQL: postgresSQL)

    static let sql = """
    ALTER TABLE contests ADD COLUMN entries_file BLOB;
    ALTER TABLE contests ADD COLUMN exclusions TEXT CHECK (exclusions IS NULL OR json_valid(exclusions));
    """

    /// The same for PostgreSQL (BIGINT, BYTEA, identity ids). SHIPPED with the SQLite text: never edit.
    static let postgresSQL = """
    ALTER TABLE contests ADD COLUMN entries_file BYTEA;
    ALTER TABLE contests ADD COLUMN exclusions TEXT CHECK (exclusions IS NULL OR json_valid(exclusions));
    """
}
