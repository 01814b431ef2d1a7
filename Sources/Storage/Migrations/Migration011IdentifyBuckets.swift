/// Migration 11: Discord's identify buckets shared by every process on the database (issue 15).
///
/// - `identify_buckets.bucket`: shard id % `max_concurrency`; Discord allows one IDENTIFY per bucket per 5 seconds.
/// - `identify_buckets.next_allowed_at`: the instant (epoch milliseconds, by the database's clock in production)
///   before which no other process may identify in the bucket.
/// - `identify_buckets.holder`: the process that identified last (`BatchSnapshotService.processOwner`), for the log.
///
/// No lease to expire: a process that dies just lets `next_allowed_at` pass. SHIPPED once merged: never edit these texts.
enum Migration011IdentifyBuckets {
    static let migration = Migration(version: 11, name: "identify_buckets", sql: sql, postgresSQL: postgresSQL)

    static let sql = """
    CREATE TABLE identify_buckets (
        bucket          INTEGER PRIMARY KEY,
        next_allowed_at INTEGER NOT NULL,
        holder          TEXT    NOT NULL
    ) STRICT;
    """

    static let postgresSQL = """
    CREATE TABLE identify_buckets (
        bucket          BIGINT PRIMARY KEY,
        next_allowed_at BIGINT NOT NULL,
        holder          TEXT   NOT NULL
    );
    """
}
