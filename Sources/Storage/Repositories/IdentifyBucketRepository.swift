import Foundation

/// What asking for an identify bucket came to.
public enum IdentifyBucketReservation: Sendable, Equatable {
    /// The bucket is this process's for one identify; nobody else gets it for the interval.
    case reserved
    /// `holder` identified in the bucket less than an interval ago: ask again after `wait`.
    case held(by: String, wait: Duration)
}

/// Whose clock judges a reservation.
public enum IdentifyBucketTime: Sendable, Equatable {
    /// The database's: PostgreSQL's `clock_timestamp()` is one clock for every machine sharing the database, so
    /// skew between the bots' machines cannot shorten the 5 seconds (a machine 3 s ahead would otherwise see another's
    /// reservation expire 3 s early). A SQLite file is shared by processes of one machine only: its clock is that
    /// machine's. What each process is told is a duration, which it sleeps on its own clock.
    case database
    /// A given instant: tests pass a `ManualClock`'s, to move time themselves.
    case at(Date)
}

/// Discord's identify buckets (migration 11) shared by every process on the database: reserving is a compare-and-set
/// on the bucket's row in one write transaction (one writer at a time on both engines), so of two processes asking
/// at once exactly one gets the bucket and the other is told how long to wait.
public struct IdentifyBucketRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    /// Takes `bucket` for `holder` until `interval` from now when its time has come, else says how long is left.
    /// A `next_allowed_at` more than an interval ahead cannot come from a working clock (a machine whose clock was
    /// set back, or a test's): it is taken over rather than waited for.
    public func reserve(bucket: Int, interval: Duration, holder: String, time: IdentifyBucketTime) throws -> IdentifyBucketReservation {
        let (seconds, attoseconds) = interval.components
        let span = seconds * 1000 + attoseconds / 1_000_000_000_000_000  // milliseconds
        return try db.transaction(.immediate) {
            // Read inside the transaction, after its write lock is held: the time of the decision, not of the wait for it.
            let now = try milliseconds(time)
            let current = try db.queryFirst("SELECT next_allowed_at, holder FROM identify_buckets WHERE bucket = ?", [bucket]) {
                (try $0.int64(0), try $0.string(1))
            }
            if let (next, by) = current, next > now, next <= now + span {
                return .held(by: by, wait: .milliseconds(next - now))
            }
            try db.execute("""
                INSERT INTO identify_buckets (bucket, next_allowed_at, holder) VALUES (?, ?, ?)
                ON CONFLICT (bucket) DO UPDATE SET next_allowed_at = excluded.next_allowed_at, holder = excluded.holder
                """, [bucket, now + span, holder] as [any SQLBindable])
            return .reserved
        }
    }

    /// The bucket's row, for tests and the operator: when it may next identify, and who took it last.
    func row(bucket: Int) throws -> (nextAllowedAt: Date, holder: String)? {
        try db.queryFirst("SELECT next_allowed_at, holder FROM identify_buckets WHERE bucket = ?", [bucket]) {
            (try $0.date(0), try $0.string(1))
        }
    }

    /// Now in epoch milliseconds by `time`.
    private func milliseconds(_ time: IdentifyBucketTime) throws -> Int64 {
        switch time {
        case .at(let date): return date.epochMilliseconds
        case .database:
            let sql = switch db.dialect {
            // clock_timestamp(), not now(): now() is the transaction's start, before the write lock was granted.
            case .postgres: "SELECT CAST(floor(extract(epoch FROM clock_timestamp()) * 1000) AS BIGINT)"
            case .sqlite: "SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
            }
            guard let now = try db.scalar(sql, as: Int64.self) else { throw DatabaseError.misuse("the database returned no time", sql: sql) }
            return now
        }
    }
}
