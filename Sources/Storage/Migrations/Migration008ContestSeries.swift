/// Migration 8: recurring contests (`/contest recur`, issue 13 item 5).
///
/// - `contest_series`: the template (kind, the rule type and the metrics it rotates through as a JSON array of
///   names, unit or threshold, points or weight, winners, prize, randomness, team count), the first start as a
///   wall-clock second of the clan's zone, the cadence and duration in days, and `running`/`paused`/`stopped`.
/// - `contest_series_editions`: one row per edition made, claimed in the transaction that creates and activates its
///   contest. `(series_id, edition)` is the key and `(series_id, slot)` unique, so when several processes share the
///   database the second insert for a slot does nothing and exactly one contest is made per edition.
///
/// SHIPPED once merged: never edit this text.
enum Migration008ContestSeries {
    static let migration = Migration(version: 8, name: "contest_series", sql: sql)

    static let sql = """
    CREATE TABLE contest_series (
        id                INTEGER PRIMARY KEY,
        clan_id           INTEGER NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        name              TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
        normalised_name   TEXT    NOT NULL,
        kind              TEXT    NOT NULL CHECK (kind IN ('raffle', 'ranked', 'teams')),
        rule_type         TEXT    NOT NULL,
        metrics           TEXT    NOT NULL,
        threshold         INTEGER NOT NULL CHECK (threshold >= 1),
        weight            INTEGER NOT NULL CHECK (weight >= 1),
        winners_count     INTEGER NOT NULL CHECK (winners_count >= 1),
        prize             TEXT,
        randomness_mode   TEXT    NOT NULL CHECK (randomness_mode IN ('drand', 'none')),
        team_count        INTEGER CHECK (team_count IS NULL OR team_count >= 2),
        first_start_local INTEGER NOT NULL,
        cadence_days      INTEGER NOT NULL CHECK (cadence_days >= 1),
        duration_days     INTEGER NOT NULL CHECK (duration_days >= 1),
        status            TEXT    NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'paused', 'stopped')),
        created_by        TEXT,
        created_at        INTEGER NOT NULL,
        updated_at        INTEGER NOT NULL,
        UNIQUE (clan_id, normalised_name)
    ) STRICT;
    CREATE TABLE contest_series_editions (
        series_id   INTEGER NOT NULL REFERENCES contest_series(id) ON DELETE CASCADE,
        edition     INTEGER NOT NULL CHECK (edition >= 1),
        slot        INTEGER NOT NULL CHECK (slot >= 0),
        contest_id  INTEGER REFERENCES contests(id) ON DELETE SET NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (series_id, edition),
        UNIQUE (series_id, slot)
    ) STRICT;
    """
}
