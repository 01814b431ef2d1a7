/// Migration 7: ranked and team contests (docs/draw-scheme.md §8).
///
/// - `contests.kind`: `raffle` (every contest before this migration), `ranked` or `teams`; committed with the rules.
/// - `contests.teams`: a teams contest's teams, JSON `[{"name": "...", "members": ["rsn", ...]}]`, set in draft.
/// - `contests.ranking_proof`: a ranked or team contest's result (the `RankingProof` JSON), stored when it is
///   ranked; a raffle keeps its draw in `contest_draws` as before. For these kinds `entries_file` holds the ranking
///   file (§8.3) and `contest_entries.entry_count` the points one rule gave one member.
///
/// SHIPPED once merged: never edit this text.
enum Migration007ContestKinds {
    static let migration = Migration(version: 7, name: "contest_kinds", sql: sql, postgresSQL: postgresSQL)

    static let sql = """
    ALTER TABLE contests ADD COLUMN kind TEXT NOT NULL DEFAULT 'raffle' CHECK (kind IN ('raffle', 'ranked', 'teams'));
    ALTER TABLE contests ADD COLUMN teams TEXT CHECK (teams IS NULL OR (json_valid(teams) AND json_type(teams) = 'array'));
    ALTER TABLE contests ADD COLUMN ranking_proof TEXT CHECK (ranking_proof IS NULL OR json_valid(ranking_proof));
    """

    /// The same for PostgreSQL (BIGINT, BYTEA, identity ids). SHIPPED with the SQLite text: never edit.
    static let postgresSQL = """
    ALTER TABLE contests ADD COLUMN kind TEXT NOT NULL DEFAULT 'raffle' CHECK (kind IN ('raffle', 'ranked', 'teams'));
    ALTER TABLE contests ADD COLUMN teams TEXT CHECK (teams IS NULL OR (json_valid(teams) AND json_type(teams) = 'array'));
    ALTER TABLE contests ADD COLUMN ranking_proof TEXT CHECK (ranking_proof IS NULL OR json_valid(ranking_proof));
    """
}
