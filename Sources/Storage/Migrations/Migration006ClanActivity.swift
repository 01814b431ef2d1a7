/// Migration 6: the clan activity the announcements channel reports (issue 12): members joined, left, renamed,
/// and hardcore ironman deaths.
///
/// - `clan_activity`: one row per thing that happened, written in the same transaction as the change itself, so it
///   is announced even when the process stops right after. `dedupe_key` (unique per clan when set) keeps a
///   one-off such as a hardcore death from being stored twice by a re-run or recovered batch. Ids only grow.
/// - `announcement_channels.activity_cursor`: the last activity id queued (or skipped) for the channel, as
///   `achievement_cursor` is for achievements; `summary_cursor`: the last batch id summarised.
///
/// SHIPPED once merged: never edit this text.
enum Migration006ClanActivity {
    static let migration = Migration(version: 6, name: "clan_activity", sql: sql)

    static let sql = """
    CREATE TABLE clan_activity (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        clan_id       INTEGER NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        kind          TEXT    NOT NULL CHECK (length(kind) > 0),
        account_id    INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
        name          TEXT    NOT NULL,
        previous_name TEXT,
        occurred_at   INTEGER NOT NULL,
        since         INTEGER,
        dedupe_key    TEXT,
        UNIQUE (clan_id, dedupe_key)
    ) STRICT;
    ALTER TABLE announcement_channels ADD COLUMN activity_cursor INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE announcement_channels ADD COLUMN summary_cursor INTEGER NOT NULL DEFAULT 0;
    UPDATE announcement_channels SET activity_cursor = 0,
        summary_cursor = (SELECT coalesce(max(id), 0) FROM clan_snapshots);
    """
}
