/// Migration 10: a batch's member fetches are a queue every process drains (issue 15).
///
/// - `clan_snapshot_members.claimed_by`: the process fetching the member (`BatchSnapshotService.owner`).
/// - `clan_snapshot_members.claimed_at`: when it claimed it; a claim older than the member claim timeout belongs to
///   a process that stopped, and the member is fetched again by whoever claims it next.
///
/// SHIPPED once merged: never edit these texts.
enum Migration010MemberClaims {
    static let migration = Migration(version: 10, name: "member_claims", sql: sql, postgresSQL: postgresSQL)

    static let sql = """
    ALTER TABLE clan_snapshot_members ADD COLUMN claimed_by TEXT;
    ALTER TABLE clan_snapshot_members ADD COLUMN claimed_at INTEGER;
    """

    static let postgresSQL = """
    ALTER TABLE clan_snapshot_members ADD COLUMN claimed_by TEXT;
    ALTER TABLE clan_snapshot_members ADD COLUMN claimed_at BIGINT;
    """
}
