/// Migration 9: standings of running contests posted on a schedule officers choose (`/announce standings`).
///
/// - `announcement_channels.standings_every_hours`: 24, 12 or 6; NULL: no scheduled standings (the default).
/// - `announcement_channels.standings_at_minute`: the first post of the day, in minutes after midnight in the
///   clan's time zone (0–1439); the others follow every `standings_every_hours`.
///
/// Plain SQL that PostgreSQL runs too. SHIPPED once merged: never edit this text.
enum Migration009StandingsSchedule {
    static let migration = Migration(version: 9, name: "standings_schedule", sql: sql)

    static let sql = """
    ALTER TABLE announcement_channels ADD COLUMN standings_every_hours INTEGER;
    ALTER TABLE announcement_channels ADD COLUMN standings_at_minute INTEGER NOT NULL DEFAULT 0;
    """
}
