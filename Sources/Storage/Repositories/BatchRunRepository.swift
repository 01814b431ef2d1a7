import Domain
import Foundation

/// The SQL of batch runs: creating one with its member rows, recording each member as it finishes,
/// finishing, and finding and claiming runs a crashed process left behind.
public struct BatchRunRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let batchColumns = """
        id, clan_id, job_id, status, mode, source, scheduled_for, requested_by, owner, heartbeat_at, queued_at,
        started_at, finished_at, latency_ms, member_count, succeeded_count, failed_count, error
        """

    /// Creates a running batch with a queued row per active member. Returns nil when `scheduledFor`
    /// is given and that slot of the clan already has a batch (another process claimed it).
    public func create(clanID: Int64, jobID: String, mode: SnapshotMode, source: String,
                       scheduledFor: Date?, requestedBy: String?, owner: String, now: Date) throws -> BatchRun? {
        try db.transaction(.immediate) {
            let members = try activeMembers(clanID: clanID)
            do {
                // Its own savepoint: on PostgreSQL a failed statement spoils the transaction around it until rolled back.
                try db.transaction(.immediate) {
                    try db.execute("""
                        INSERT INTO clan_snapshots (clan_id, job_id, status, mode, source, scheduled_for, requested_by, owner,
                            heartbeat_at, queued_at, started_at, member_count)
                        VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, [clanID, jobID, mode.key, source, scheduledFor, requestedBy, owner, now, now, now, members.count] as [any SQLBindable])
                }
            } catch let error as DatabaseError where error.isUniqueViolation && scheduledFor != nil {
                return nil
            }
            let batchID = try db.lastInsertRowID
            for member in members {
                try db.execute("INSERT INTO clan_snapshot_members (clan_snapshot_id, account_id, status) VALUES (?, ?, 'queued')",
                               [batchID, member.accountID])
            }
            return try batch(id: batchID)
        }
    }

    /// The active members' account ids and display names, in account id order.
    public func activeMembers(clanID: Int64) throws -> [(accountID: Int64, displayName: String)] {
        try db.query("""
            SELECT a.id, a.display_name FROM clan_members m JOIN accounts a ON a.id = m.account_id
            WHERE m.clan_id = ? AND m.is_active = 1 ORDER BY a.id
            """, [clanID]) { (try $0.int64(0), try $0.string(1)) }
    }

    public func batch(id: Int64) throws -> BatchRun? {
        try db.queryFirst("SELECT \(Self.batchColumns) FROM clan_snapshots WHERE id = ?", [id], run)
    }

    public func batch(jobID: String) throws -> BatchRun? {
        try db.queryFirst("SELECT \(Self.batchColumns) FROM clan_snapshots WHERE job_id = ?", [jobID], run)
    }

    /// The clan's batch for the slot `scheduledFor` (a schedule's run, or a contest boundary), if there is one.
    public func batch(clanID: Int64, scheduledFor: Date) throws -> BatchRun? {
        try db.queryFirst("SELECT \(Self.batchColumns) FROM clan_snapshots WHERE clan_id = ? AND scheduled_for = ?",
                          [clanID, scheduledFor] as [any SQLBindable], run)
    }

    /// The latest batches of a clan, newest first.
    public func recent(clanID: Int64, limit: Int) throws -> [BatchRun] {
        try db.query("SELECT \(Self.batchColumns) FROM clan_snapshots WHERE clan_id = ? ORDER BY queued_at DESC, id DESC LIMIT ?",
                     [clanID, limit], run)
    }

    /// The clan's scheduled batches after the batch id `after`, oldest first (finished or not).
    public func scheduled(clanID: Int64, after: Int64, limit: Int) throws -> [BatchRun] {
        try db.query("SELECT \(Self.batchColumns) FROM clan_snapshots WHERE clan_id = ? AND source = 'schedule' AND id > ? ORDER BY id LIMIT ?",
                     [clanID, after, limit], run)
    }

    /// The clan's scheduled batch before the batch id `before`, if any.
    public func scheduled(clanID: Int64, before: Int64) throws -> BatchRun? {
        try db.queryFirst("SELECT \(Self.batchColumns) FROM clan_snapshots WHERE clan_id = ? AND source = 'schedule' AND id < ? ORDER BY id DESC LIMIT 1",
                          [clanID, before], run)
    }

    /// Every member line of a batch, by name.
    public func members(batchID: Int64) throws -> [BatchMember] {
        try db.query("""
            SELECT m.account_id, a.display_name, m.status, m.snapshot_id, m.error_kind, m.error, m.latency_ms, m.finished_at
            FROM clan_snapshot_members m JOIN accounts a ON a.id = m.account_id
            WHERE m.clan_snapshot_id = ? ORDER BY lower(a.display_name), a.id
            """, [batchID]) { row in
            BatchMember(accountID: try row.int64(0), displayName: try row.string(1),
                        status: BatchMember.Status(rawValue: try row.string(2)) ?? .failed,
                        snapshotID: try row.get(3, as: Int64?.self), errorKind: try row.get(4, as: String?.self),
                        error: try row.get(5, as: String?.self), latencyMs: try row.get(6, as: Int?.self),
                        finishedAt: try row.get(7, as: Date?.self))
        }
    }

    /// Members not finished yet (queued, or running when a process stopped), with their names.
    func unfinishedMembers(batchID: Int64) throws -> [(accountID: Int64, displayName: String)] {
        try db.query("""
            SELECT m.account_id, a.display_name FROM clan_snapshot_members m JOIN accounts a ON a.id = m.account_id
            WHERE m.clan_snapshot_id = ? AND m.status IN ('queued', 'running') ORDER BY m.account_id
            """, [batchID]) { (try $0.int64(0), try $0.string(1)) }
    }

    func markRunning(batchID: Int64, accountID: Int64) throws {
        try db.execute("UPDATE clan_snapshot_members SET status = 'running' WHERE clan_snapshot_id = ? AND account_id = ? AND status = 'queued'",
                       [batchID, accountID])
    }

    /// Records one member's result and bumps the batch's counts and heartbeat, in one transaction.
    public func recordSuccess(batchID: Int64, accountID: Int64, snapshotID: Int64, latencyMs: Int, now: Date) throws {
        try db.transaction(.immediate) {
            try db.execute("""
                UPDATE clan_snapshot_members SET status = 'succeeded', snapshot_id = ?, error_kind = NULL, error = NULL,
                    latency_ms = ?, finished_at = ? WHERE clan_snapshot_id = ? AND account_id = ?
                """, [snapshotID, latencyMs, now, batchID, accountID])
            try db.execute("UPDATE clan_snapshots SET succeeded_count = succeeded_count + 1, heartbeat_at = ? WHERE id = ?", [now, batchID])
        }
    }

    public func recordFailure(batchID: Int64, accountID: Int64, kind: String, message: String, latencyMs: Int?, now: Date) throws {
        try db.transaction(.immediate) {
            try db.execute("""
                UPDATE clan_snapshot_members SET status = 'failed', error_kind = ?, error = ?, latency_ms = ?, finished_at = ?
                WHERE clan_snapshot_id = ? AND account_id = ?
                """, [kind, message, latencyMs, now, batchID, accountID] as [any SQLBindable])
            try db.execute("UPDATE clan_snapshots SET failed_count = failed_count + 1, heartbeat_at = ? WHERE id = ?", [now, batchID])
        }
    }

    /// Keeps a long batch from looking abandoned.
    public func heartbeat(batchID: Int64, owner: String, now: Date) throws {
        try db.execute("UPDATE clan_snapshots SET heartbeat_at = ? WHERE id = ? AND owner = ?", [now, batchID, owner])
    }

    /// Closes a batch: members never fetched become 'skipped' with `reason`, the status follows the counts
    /// (all fetched → succeeded, none → failed, else partial), latency runs from the start.
    @discardableResult
    public func finish(batchID: Int64, now: Date, reason: String? = nil) throws -> BatchRun? {
        try db.transaction(.immediate) {
            let skipped = try db.execute("""
                UPDATE clan_snapshot_members SET status = 'skipped', error_kind = 'interrupted', error = ?, finished_at = ?
                WHERE clan_snapshot_id = ? AND status IN ('queued', 'running')
                """, [reason ?? "not fetched: the batch ended before this member's turn", now, batchID])
            try db.execute("""
                UPDATE clan_snapshots SET
                    status = CASE
                        WHEN succeeded_count = member_count THEN 'succeeded'
                        WHEN succeeded_count = 0 THEN 'failed'
                        ELSE 'partial' END,
                    finished_at = ?,
                    latency_ms = CASE WHEN ?2 > COALESCE(started_at, queued_at) THEN ?2 - COALESCE(started_at, queued_at) ELSE 0 END,
                    error = CASE
                        WHEN CAST(? AS TEXT) IS NOT NULL THEN CAST(? AS TEXT)
                        WHEN failed_count + ? > 0 THEN (failed_count + ?) || ' of ' || member_count || ' members could not be fetched'
                        ELSE NULL END
                WHERE id = ?
                """, [now, now.epochMilliseconds, reason, reason, skipped, skipped, batchID] as [any SQLBindable])
            return try batch(id: batchID)
        }
    }

    /// Batches still queued or running whose owner has not shown a sign of life since `staleBefore`.
    public func abandoned(staleBefore: Date) throws -> [BatchRun] {
        try db.query("""
            SELECT \(Self.batchColumns) FROM clan_snapshots
            WHERE status IN ('queued', 'running') AND COALESCE(heartbeat_at, started_at, queued_at) < ?
            ORDER BY id
            """, [staleBefore], run)
    }

    /// The clan's unfinished batch whose owner showed a sign of life since `freshSince`, if any.
    public func running(clanID: Int64, freshSince: Date) throws -> BatchRun? {
        try db.queryFirst("""
            SELECT \(Self.batchColumns) FROM clan_snapshots
            WHERE clan_id = ? AND status IN ('queued', 'running') AND COALESCE(heartbeat_at, started_at, queued_at) >= ?
            ORDER BY id DESC LIMIT 1
            """, [clanID, freshSince], run)
    }

    /// Every batch still queued or running, oldest first.
    public func unfinished() throws -> [BatchRun] {
        try db.query("SELECT \(Self.batchColumns) FROM clan_snapshots WHERE status IN ('queued', 'running') ORDER BY id", [], run)
    }

    /// Takes over a batch whose owner is known to be gone. Compare-and-set on the owner: of two
    /// processes recovering at once, exactly one gets true.
    public func claimFromOwner(batchID: Int64, expectedOwner: String, owner: String, now: Date) throws -> Bool {
        try db.execute("""
            UPDATE clan_snapshots SET owner = ?, heartbeat_at = ?, status = 'running'
            WHERE id = ? AND status IN ('queued', 'running') AND owner = ?
            """, [owner, now, batchID, expectedOwner]) == 1
    }

    /// Takes over an abandoned batch. Compare-and-set on the heartbeat: of two processes recovering at
    /// once, exactly one gets true.
    public func claimAbandoned(batchID: Int64, owner: String, now: Date, staleBefore: Date) throws -> Bool {
        try db.execute("""
            UPDATE clan_snapshots SET owner = ?, heartbeat_at = ?, status = 'running'
            WHERE id = ? AND status IN ('queued', 'running') AND COALESCE(heartbeat_at, started_at, queued_at) < ?
            """, [owner, now, batchID, staleBefore]) == 1
    }

    /// Puts members that were mid-fetch when the process `claimedBy` stopped back in the queue; those whose snapshot
    /// it had stored already are recorded instead (`adoptStoredSnapshots`). Members another process (a helper) is
    /// fetching keep their claim: it expires by itself if that process stopped too.
    public func requeueRunning(batchID: Int64, claimedBy previousOwner: String?, now: Date) throws {
        if let previousOwner { try adoptStoredSnapshots(batchID: batchID, claimedBy: previousOwner, now: now) }
        try db.execute("""
            UPDATE clan_snapshot_members SET status = 'queued', claimed_by = NULL, claimed_at = NULL
            WHERE clan_snapshot_id = ? AND status = 'running' AND (claimed_by IS NULL OR claimed_by = CAST(? AS TEXT))
            """, [batchID, previousOwner] as [any SQLBindable])
    }

    func run(_ row: Row) throws -> BatchRun {
        BatchRun(
            id: try row.int64(0), clanID: try row.int64(1), jobID: try row.string(2),
            status: BatchRun.Status(rawValue: try row.string(3)) ?? .failed,
            mode: SnapshotMode(key: try row.string(4)) ?? .auto, source: try row.string(5),
            scheduledFor: try row.get(6, as: Date?.self), requestedBy: try row.get(7, as: String?.self),
            owner: try row.get(8, as: String?.self), heartbeatAt: try row.get(9, as: Date?.self),
            queuedAt: try row.date(10), startedAt: try row.get(11, as: Date?.self), finishedAt: try row.get(12, as: Date?.self),
            latencyMs: try row.get(13, as: Int?.self), memberCount: try row.int(14), succeededCount: try row.int(15),
            failedCount: try row.int(16), error: try row.get(17, as: String?.self))
    }
}
