/// Migration 4: achievements (issue 12), each stored once.
///
/// - One row per milestone an account reached, unique on (account, kind, metric, threshold): a re-run or recovered
///   batch, or a rollback's dip and recovery, can never store it twice. `previous_at`/`reached_at` are the times of
///   the two snapshots it happened between. Ids only grow, so an announcer can keep the last id it posted.
///
/// SHIPPED once merged: never edit this text.
enum Migration004Achievements {
    static let migration = Migration(version: 4, name: "achievements", sql: sql)

    static let sql = """
    CREATE TABLE achievements (
        id                   INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id           INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind                 TEXT    NOT NULL CHECK (kind IN
                                 ('skill_level', 'skill_xp', 'base_level', 'total_level', 'combat_level', 'boss_kills', 'clues')),
        metric               TEXT    NOT NULL CHECK (length(metric) > 0),
        threshold            INTEGER NOT NULL CHECK (threshold > 0),
        value                INTEGER NOT NULL,
        previous_snapshot_id INTEGER REFERENCES snapshots(id) ON DELETE SET NULL,
        previous_at          INTEGER NOT NULL,
        snapshot_id          INTEGER REFERENCES snapshots(id) ON DELETE SET NULL,
        reached_at           INTEGER NOT NULL,
        recorded_at          INTEGER NOT NULL,
        UNIQUE (account_id, kind, metric, threshold),
        CHECK (reached_at >= previous_at)
    ) STRICT;
    CREATE INDEX achievements_by_account_time ON achievements (account_id, reached_at);
    CREATE INDEX achievements_by_previous_snapshot ON achievements (previous_snapshot_id) WHERE previous_snapshot_id IS NOT NULL;
    CREATE INDEX achievements_by_snapshot ON achievements (snapshot_id) WHERE snapshot_id IS NOT NULL;
    """
}
