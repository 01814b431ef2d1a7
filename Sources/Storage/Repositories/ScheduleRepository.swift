import Domain
import Foundation

/// One snapshot schedule per clan. The scheduler claims a due run with `claim`, a compare-and-set on
/// `next_run_at`, so exactly one process starts it even when several share the database.
public struct ScheduleRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let columns = """
        id, clan_id, cron, max_daily_runs, enabled, next_run_at, last_run_at, last_run_status, last_error,
        last_clan_snapshot_id, claimed_by, claimed_at, created_at, updated_at
        """

    static func decode(_ row: Row) throws -> ClanSchedule {
        ClanSchedule(
            id: try row.int64(0), clanID: try row.int64(1), cron: try row.string(2), maxDailyRuns: try row.int(3),
            enabled: try row.bool(4), nextRunAt: try row.get(5), lastRunAt: try row.get(6), lastRunStatus: try row.get(7),
            lastError: try row.get(8), lastClanSnapshotID: try row.get(9), claimedBy: try row.get(10), claimedAt: try row.get(11),
            createdAt: try row.date(12), updatedAt: try row.date(13))
    }

    /// Creates or replaces the clan's schedule (cron, daily cap, on/off, next run). Run history is kept.
    @discardableResult
    public func set(
        clanID: Int64, cron: String, maxDailyRuns: Int = 1, enabled: Bool = true, nextRunAt: Date?, now: Date = Date()
    ) throws -> ClanSchedule {
        let text = cron.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            _ = try CronExpression(text)
        } catch {
            throw StorageError.invalidSchedule("\"\(cron)\" is not a cron expression: \(error)")
        }
        guard (1...ClanSchedule.dailyRunCap).contains(maxDailyRuns) else {
            throw StorageError.invalidSchedule("a clan runs at most \(ClanSchedule.dailyRunCap) snapshots a day (got \(maxDailyRuns)); use 1 or 2")
        }
        try translatingConstraints({
            try db.execute(
                """
                INSERT INTO clan_schedules (clan_id, cron, max_daily_runs, enabled, next_run_at, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                ON CONFLICT (clan_id) DO UPDATE SET
                    cron = excluded.cron, max_daily_runs = excluded.max_daily_runs, enabled = excluded.enabled,
                    next_run_at = excluded.next_run_at, claimed_by = NULL, claimed_at = NULL, updated_at = excluded.updated_at
                """,
                [clanID, text, maxDailyRuns, enabled, nextRunAt, now])
        }) { error in
            error.isForeignKeyViolation ? .unknownClan("with id \(clanID)") : nil
        }
        return try get(clanID: clanID)
    }

    public func find(clanID: Int64) throws -> ClanSchedule? {
        try db.queryFirst("SELECT \(Self.columns) FROM clan_schedules WHERE clan_id = ?", [clanID]) { try Self.decode($0) }
    }

    public func get(clanID: Int64) throws -> ClanSchedule {
        guard let schedule = try find(clanID: clanID) else { throw StorageError.unknownSchedule(clanID: clanID) }
        return schedule
    }

    /// Turns the schedule on or off; when turning it on, `nextRunAt` says when it next fires.
    @discardableResult
    public func setEnabled(clanID: Int64, _ enabled: Bool, nextRunAt: Date? = nil, now: Date = Date()) throws -> ClanSchedule {
        let changed = try db.execute(
            "UPDATE clan_schedules SET enabled = ?, next_run_at = coalesce(?, next_run_at), updated_at = ? WHERE clan_id = ?",
            [enabled, nextRunAt, now, clanID])
        guard changed == 1 else { throw StorageError.unknownSchedule(clanID: clanID) }
        return try get(clanID: clanID)
    }

    /// Enabled schedules whose next run is at or before `now`, soonest first.
    public func due(at now: Date) throws -> [ClanSchedule] {
        try db.query(
            "SELECT \(Self.columns) FROM clan_schedules WHERE enabled = 1 AND next_run_at IS NOT NULL AND next_run_at <= ? ORDER BY next_run_at, id",
            [now]) { try Self.decode($0) }
    }

    /// The earliest next run of any enabled schedule (how long the scheduler may sleep).
    public func nextDueTime() throws -> Date? {
        try db.scalar("SELECT min(next_run_at) FROM clan_schedules WHERE enabled = 1", as: Date.self)
    }

    /// Claims the run due at `expectedNextRunAt` and moves the schedule on to `nextRunAt`.
    /// True for exactly one caller: anyone who read the same due time and comes second gets false.
    public func claim(
        scheduleID: Int64, expectedNextRunAt: Date, nextRunAt: Date?, claimedBy: String, now: Date = Date()
    ) throws -> Bool {
        try db.execute(
            """
            UPDATE clan_schedules SET next_run_at = ?, claimed_by = ?, claimed_at = ?, updated_at = ?
            WHERE id = ? AND enabled = 1 AND next_run_at = ?
            """,
            [nextRunAt, claimedBy, now, now, scheduleID, expectedNextRunAt]) == 1
    }

    /// Records how a run went (status, error, the batch it started).
    @discardableResult
    public func recordRun(
        clanID: Int64, status: ScheduleRunStatus, error: String? = nil, clanSnapshotID: Int64? = nil, at date: Date = Date()
    ) throws -> ClanSchedule {
        let changed = try translatingConstraints({
            try db.execute(
                """
                UPDATE clan_schedules SET last_run_at = ?, last_run_status = ?, last_error = ?,
                    last_clan_snapshot_id = coalesce(?, last_clan_snapshot_id), updated_at = ?
                WHERE clan_id = ?
                """,
                [date, status, error, clanSnapshotID, date, clanID])
        }) { error in
            error.isForeignKeyViolation ? .referenceViolation("there is no clan snapshot run \(clanSnapshotID.map(String.init) ?? "")") : nil
        }
        guard changed == 1 else { throw StorageError.unknownSchedule(clanID: clanID) }
        return try get(clanID: clanID)
    }

    /// Sets the next run time directly (after a restart, or when the clan's time zone changes).
    @discardableResult
    func setNextRun(clanID: Int64, _ date: Date?, now: Date = Date()) throws -> ClanSchedule {
        let changed = try db.execute("UPDATE clan_schedules SET next_run_at = ?, updated_at = ? WHERE clan_id = ?", [date, now, clanID])
        guard changed == 1 else { throw StorageError.unknownSchedule(clanID: clanID) }
        return try get(clanID: clanID)
    }

    public func delete(clanID: Int64) throws {
        guard try db.execute("DELETE FROM clan_schedules WHERE clan_id = ?", [clanID]) == 1 else {
            throw StorageError.unknownSchedule(clanID: clanID)
        }
    }

    /// How many batch runs of the clan started by the schedule were queued inside `start..<end`
    /// (the daily cap counts these over the clan's local day).
    public func scheduledRunCount(clanID: Int64, from start: Date, before end: Date) throws -> Int {
        try db.scalar(
            "SELECT count(*) FROM clan_snapshots WHERE clan_id = ? AND source = 'schedule' AND queued_at >= ? AND queued_at < ?",
            [clanID, start, end], as: Int.self) ?? 0
    }
}
