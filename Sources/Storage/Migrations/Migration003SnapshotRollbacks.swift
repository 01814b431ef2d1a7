/// Migration 3: snapshots that lost value against the one before them (a hiscores rollback) are kept but flagged.
///
/// - `snapshots.rollback_rows`: NULL for a normal snapshot; for a flagged one, the JSON array of the rows that went
///   down (`["Attack", "Zulrah"]`). Gains, records and achievements are measured around a flagged snapshot.
///
/// SHIPPED once merged: never edit this text.
enum Migration003SnapshotRollbacks {
    static let migration = Migration(version: 3, name: "snapshot_rollbacks", sql: sql, postgresSQL: postgresSQL)

    static let sql = """
    ALTER TABLE snapshots ADD COLUMN rollback_rows TEXT
        CHECK (rollback_rows IS NULL OR (json_valid(rollback_rows) AND json_type(rollback_rows) = 'array'));
    """

    /// The same for PostgreSQL (BIGINT, BYTEA, identity ids). SHIPPED with the SQLite text: never edit.
    static let postgresSQL = """
    ALTER TABLE snapshots ADD COLUMN rollback_rows TEXT
        CHECK (rollback_rows IS NULL OR (json_valid(rollback_rows) AND json_type(rollback_rows) = 'array'));
    """
}
