import Domain
import Foundation

/// A clan's schedule row with the clan's time zone, as the scheduler reads it.
public struct ScheduleRow: Sendable, Hashable {
    public let id: Int64
    public let clanID: Int64
    public let clanName: String
    public let timeZoneIdentifier: String
    public let cron: String
    public let maxDailyRuns: Int
    public let enabled: Bool
    public let nextRunAt: Date?
    public let lastRunAt: Date?
    public let lastRunStatus: String?
    public let lastError: String?
    public let lastClanSnapshotID: Int64?
}

/// The SQL of clan schedules: saving one, finding the due ones, claiming a run exactly once
/// (compare-and-set on next_run_at), and recording how the run went.
public enum ScheduleQueries {
    static let columns = """
        s.id, s.clan_id, c.name, c.timezone, s.cron, s.max_daily_runs, s.enabled, s.next_run_at, s.last_run_at,
        s.last_run_status, s.last_error, s.last_clan_snapshot_id
        """

    /// Creates or replaces the clan's schedule (one per clan).
    public static func save(_ db: Database, clanID: Int64, cron: String, maxDailyRuns: Int, enabled: Bool, nextRunAt: Date?, now: Date) throws -> ScheduleRow? {
        try db.execute("""
            INSERT INTO clan_schedules (clan_id, cron, max_daily_runs, enabled, next_run_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (clan_id) DO UPDATE SET cron = excluded.cron, max_daily_runs = excluded.max_daily_runs,
                enabled = excluded.enabled, next_run_at = excluded.next_run_at, last_error = NULL, updated_at = excluded.updated_at
            """, [clanID, cron, maxDailyRuns, enabled ? 1 : 0, nextRunAt, now, now] as [any SQLBindable])
        return try schedule(db, clanID: clanID)
    }

    public static func schedule(_ db: Database, clanID: Int64) throws -> ScheduleRow? {
        try db.queryFirst("SELECT \(columns) FROM clan_schedules s JOIN clans c ON c.id = s.clan_id WHERE s.clan_id = ?", [clanID], row)
    }

    /// Enabled schedules whose next run is at or before `now`, earliest first.
    public static func due(_ db: Database, now: Date) throws -> [ScheduleRow] {
        try db.query("""
            SELECT \(columns) FROM clan_schedules s JOIN clans c ON c.id = s.clan_id
            WHERE s.enabled = 1 AND s.next_run_at IS NOT NULL AND s.next_run_at <= ?
            ORDER BY s.next_run_at, s.id
            """, [now], row)
    }

    /// The earliest next run of any enabled schedule (the scheduler sleeps until then).
    public static func earliestNextRun(_ db: Database) throws -> Date? {
        try db.scalar("SELECT MIN(next_run_at) FROM clan_schedules WHERE enabled = 1", as: Date.self)
    }

    /// Claims the run due at `expected` and moves the schedule on to `next`. Compare-and-set: when two
    /// processes race for the same run, the UPDATE matches for exactly one of them.
    public static func claim(_ db: Database, scheduleID: Int64, expected: Date, next: Date?, owner: String, now: Date) throws -> Bool {
        try db.execute("""
            UPDATE clan_schedules SET next_run_at = ?, claimed_by = ?, claimed_at = ?, updated_at = ?
            WHERE id = ? AND enabled = 1 AND next_run_at = ?
            """, [next, owner, now, now, scheduleID, expected] as [any SQLBindable]) == 1
    }

    /// Records the outcome of a run ('succeeded', 'partial', 'failed' or 'skipped').
    public static func recordRun(_ db: Database, scheduleID: Int64, status: String, error: String?, clanSnapshotID: Int64?, at: Date) throws {
        try db.execute("""
            UPDATE clan_schedules SET last_run_at = ?, last_run_status = ?, last_error = ?,
                last_clan_snapshot_id = COALESCE(?, last_clan_snapshot_id), updated_at = ?
            WHERE id = ?
            """, [at, status, error, clanSnapshotID, at, scheduleID] as [any SQLBindable])
    }

    /// Stops a schedule that cannot run (its stored cron or zone no longer parses), saying why.
    public static func disable(_ db: Database, scheduleID: Int64, error: String, now: Date) throws {
        try db.execute("""
            UPDATE clan_schedules SET enabled = 0, next_run_at = NULL, last_run_status = 'failed', last_error = ?, updated_at = ?
            WHERE id = ?
            """, [error, now, scheduleID])
    }

    /// Scheduled batches of a clan whose slot is at or after `since` (the runs of one local day).
    public static func scheduledRuns(_ db: Database, clanID: Int64, since: Date) throws -> Int {
        try db.scalar("SELECT count(*) FROM clan_snapshots WHERE clan_id = ? AND source = 'schedule' AND scheduled_for >= ?",
                      [clanID, since], as: Int.self) ?? 0
    }

    private static func row(_ row: Row) throws -> ScheduleRow {
        ScheduleRow(
            id: try row.int64(0), clanID: try row.int64(1), clanName: try row.string(2), timeZoneIdentifier: try row.string(3),
            cron: try row.string(4), maxDailyRuns: try row.int(5), enabled: try row.int(6) != 0,
            nextRunAt: try row.get(7, as: Date?.self), lastRunAt: try row.get(8, as: Date?.self),
            lastRunStatus: try row.get(9, as: String?.self), lastError: try row.get(10, as: String?.self),
            lastClanSnapshotID: try row.get(11, as: Int64?.self))
    }
}
