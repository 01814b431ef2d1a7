/// Migration 5: the announcements channel (issue 12) and its outbox.
///
/// - `announcement_channels`: one channel per clan, the kinds it gets, and the permission Discord refused (if any)
///   with when officers were told; `achievement_cursor` is the last achievement id queued (or skipped), so a
///   channel set today does not post the clan's whole history, and achievements stored by a crashed or recovered
///   batch are still queued by the next pass.
/// - `announcement_outbox`: one row per (clan, event key), unique, so an event is queued once however often it is
///   seen. A row is `pending` until a process claims it (`claimed`, just before the POST) and marks it `sent`
///   after Discord's answer. A row found `claimed` long after (the process stopped between the POST and the mark)
///   becomes `uncertain` and is not posted again: at most once (see docs/architecture.md).
///
/// SHIPPED once merged: never edit this text.
enum Migration005Announcements {
    static let migration = Migration(version: 5, name: "announcements", sql: sql)

    static let sql = """
    CREATE TABLE announcement_channels (
        clan_id         INTEGER PRIMARY KEY REFERENCES clans(id) ON DELETE CASCADE,
        channel_id      TEXT    NOT NULL CHECK (length(channel_id) > 0),
        kinds           TEXT    NOT NULL,
        set_by          TEXT    NOT NULL,
        set_at          INTEGER NOT NULL,
        blocked_missing TEXT,
        blocked_since   INTEGER,
        blocked_told_at INTEGER,
        achievement_cursor INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE TABLE announcement_outbox (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        clan_id     INTEGER NOT NULL REFERENCES clans(id) ON DELETE CASCADE,
        event_key   TEXT    NOT NULL CHECK (length(event_key) > 0),
        kind        TEXT    NOT NULL,
        payload     TEXT    NOT NULL,
        status      TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'sent', 'uncertain', 'failed')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL,
        claimed_at  INTEGER,
        sent_at     INTEGER,
        channel_id  TEXT,
        message_id  TEXT,
        last_error  TEXT,
        UNIQUE (clan_id, event_key)
    ) STRICT;
    CREATE INDEX announcement_outbox_open ON announcement_outbox (clan_id, id) WHERE status IN ('pending', 'claimed');
    """
}
