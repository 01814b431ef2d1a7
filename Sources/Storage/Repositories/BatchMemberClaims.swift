import Domain
import Foundation

/// What claiming a batch's next member came to.
public enum BatchMemberClaim: Sendable, Equatable {
    /// This process fetches this member now.
    case claimed(accountID: Int64, displayName: String)
    /// Nothing to claim, but other processes still fetch members of the batch (their claims are fresh). This
    /// process's own members in flight do not count: its other lanes finish them.
    case othersFetching
    /// Every member is finished, or the batch is closed.
    case none
}

/// A batch's member fetches as a queue every process drains (issue 15): a member is claimed with its process's
/// name and the time, inside a write transaction (one writer at a time on both engines), so each is fetched by
/// exactly one process; a claim older than `expiredBefore` belongs to a process that stopped and is taken over.
/// (A member left running without a claim, by a build before migration 10, is requeued when its batch is taken
/// over, or skipped when the batch closes.)
extension BatchRunRepository {
    public func claimNextMember(batchID: Int64, owner: String, now: Date, expiredBefore: Date) throws -> BatchMemberClaim {
        try db.transaction(.immediate) {
            while let (accountID, displayName, expired) = try db.queryFirst("""
                SELECT m.account_id, a.display_name, m.status FROM clan_snapshot_members m
                JOIN accounts a ON a.id = m.account_id JOIN clan_snapshots s ON s.id = m.clan_snapshot_id
                WHERE m.clan_snapshot_id = ? AND s.status IN ('queued', 'running')
                    AND (m.status = 'queued' OR (m.status = 'running' AND m.claimed_at < ?))
                ORDER BY m.account_id LIMIT 1
                """, [batchID, expiredBefore] as [any SQLBindable], { (try $0.int64(0), try $0.string(1), try $0.string(2) == "running") }) {
                // An expired claim whose process stored the snapshot but stopped before recording it: recorded, not fetched again.
                if expired, try adoptStoredSnapshots(batchID: batchID, accountID: accountID, now: now) > 0 { continue }
                try db.execute("""
                    UPDATE clan_snapshot_members SET status = 'running', claimed_by = ?, claimed_at = ?
                    WHERE clan_snapshot_id = ? AND account_id = ?
                    """, [owner, now, batchID, accountID] as [any SQLBindable])
                return .claimed(accountID: accountID, displayName: displayName)
            }
            let fetching = try db.scalar("""
                SELECT count(*) FROM clan_snapshot_members m JOIN clan_snapshots s ON s.id = m.clan_snapshot_id
                WHERE m.clan_snapshot_id = ? AND s.status IN ('queued', 'running') AND m.status = 'running'
                    AND m.claimed_by IS NOT NULL AND m.claimed_by <> ?
                """, [batchID, owner], as: Int.self) ?? 0
            return fetching > 0 ? .othersFetching : .none
        }
    }

    /// Members of the batch still claimed (by `claimedBy`, or only `accountID`) whose snapshot was stored at or after
    /// the claim: the claimer stopped between storing the snapshot and recording the member (two transactions). Each
    /// is recorded as succeeded with that snapshot, so whoever takes the claim over does not fetch it again.
    /// Returns how many were recorded.
    @discardableResult
    func adoptStoredSnapshots(batchID: Int64, claimedBy: String? = nil, accountID: Int64? = nil, now: Date) throws -> Int {
        let stored = """
            FROM snapshots sn WHERE sn.account_id = clan_snapshot_members.account_id AND sn.fetched_at >= clan_snapshot_members.claimed_at
            """
        let adopted = try db.execute("""
            UPDATE clan_snapshot_members SET status = 'succeeded', snapshot_id = (SELECT max(sn.id) \(stored)),
                error_kind = NULL, error = NULL, finished_at = ?
            WHERE clan_snapshot_id = ? AND status = 'running' AND claimed_at IS NOT NULL
                AND (CAST(? AS TEXT) IS NULL OR claimed_by = CAST(? AS TEXT)) AND (CAST(? AS BIGINT) IS NULL OR account_id = CAST(? AS BIGINT))
                AND EXISTS (SELECT 1 \(stored))
            """, [now, batchID, claimedBy, claimedBy, accountID, accountID] as [any SQLBindable])
        if adopted > 0 {
            try db.execute("UPDATE clan_snapshots SET succeeded_count = succeeded_count + ?, heartbeat_at = ? WHERE id = ?",
                           [adopted, now, batchID] as [any SQLBindable])
        }
        return adopted
    }

    /// The processes holding claims on members of the batch still being fetched.
    public func runningClaimers(batchID: Int64) throws -> [String] {
        try db.query("""
            SELECT DISTINCT claimed_by FROM clan_snapshot_members
            WHERE clan_snapshot_id = ? AND status = 'running' AND claimed_by IS NOT NULL ORDER BY claimed_by
            """, [batchID]) { try $0.string(0) }
    }

    /// Running batches of other processes that still have members nobody claimed: work this process can help with.
    public func batchesToHelp(owner: String) throws -> [BatchRun] {
        try db.query("""
            SELECT \(Self.batchColumns) FROM clan_snapshots s
            WHERE s.status IN ('queued', 'running') AND (s.owner IS NULL OR s.owner <> ?)
                AND EXISTS (SELECT 1 FROM clan_snapshot_members m WHERE m.clan_snapshot_id = s.id AND m.status = 'queued')
            ORDER BY s.id
            """, [owner], run)
    }

    /// How many members of the batch are finished (succeeded or failed), for progress reports.
    public func finishedCount(batchID: Int64) throws -> Int {
        try db.scalar("SELECT succeeded_count + failed_count FROM clan_snapshots WHERE id = ?", [batchID], as: Int.self) ?? 0
    }
}
