import Domain
import Foundation

/// What one member's profile reads beyond the repositories: their window over a period (one account, not the
/// whole clan) and the last time a batch looked them up on the hiscores.
public struct PlayerProfileRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    /// The same bounds as `MemberWindowRepository` (and `WindowBounds.select`) for one account: snapshots flagged as a
    /// hiscores rollback are never a bound. Each subquery is one seek on `snapshots_by_account_time`.
    static let boundsSQL = """
        SELECT
            (SELECT id FROM snapshots WHERE account_id = :account AND rollback_rows IS NULL AND fetched_at <= :start
                ORDER BY fetched_at DESC, id DESC LIMIT 1),
            (SELECT id FROM snapshots WHERE account_id = :account AND rollback_rows IS NULL AND fetched_at > :start AND fetched_at <= :end
                ORDER BY fetched_at ASC, id ASC LIMIT 1),
            (SELECT id FROM snapshots WHERE account_id = :account AND rollback_rows IS NULL AND fetched_at <= :end
                ORDER BY fetched_at DESC, id DESC LIMIT 1)
        """

    /// The account's window over `window`, with both bounding snapshots' whole records (empty when there is no data).
    public func window(account: Account, window: TimeWindow) throws -> MemberWindow {
        let ids = try db.queryFirst(Self.boundsSQL, named: ["account": account.id, "start": window.start, "end": window.end]) { row in
            (before: try row.get(0, as: Int64?.self), firstInside: try row.get(1, as: Int64?.self), end: try row.get(2, as: Int64?.self))
        }
        let baselineID = ids?.before ?? ids?.firstInside
        let baseline = try baselineID.map { try db.snapshots.get(id: $0) }
        let end = try ids?.end.map { try db.snapshots.get(id: $0) }
        let bounds = WindowBounds(baseline: baseline.map { SnapshotMark(id: $0.id, at: $0.fetchedAt) },
                                  end: end.map { SnapshotMark(id: $0.id, at: $0.fetchedAt) },
                                  partial: ids?.before == nil && ids?.firstInside != nil)
        let empty = HiscoresRecord(skills: [], activities: [])
        return MemberWindow(accountID: account.id, name: account.displayName, bounds: bounds,
                            baselineRecord: baseline?.record ?? empty, endRecord: end?.record ?? empty)
    }

    /// The account's latest finished batch lookup (any clan's): when, and its stored error kind (nil when it
    /// succeeded). Cancelled and interrupted lookups say nothing about the account and are skipped.
    public func lastLookup(accountID: Int64) throws -> (at: Date, errorKind: String?)? {
        try db.queryFirst("""
            SELECT finished_at, error_kind FROM clan_snapshot_members
            WHERE account_id = ? AND finished_at IS NOT NULL AND status IN ('succeeded', 'failed')
              AND COALESCE(error_kind, '') <> 'cancelled'
            ORDER BY finished_at DESC, id DESC LIMIT 1
            """, [accountID]) { row in
            (try row.date(0), try row.get(1, as: String?.self))
        }
    }
}
