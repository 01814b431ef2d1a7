import Domain
import Foundation

/// Each active member's latest snapshot, reduced to one hiscores row: what the clan's hiscores rank.
/// One seek on `snapshots_by_account_time` per member, one primary-key lookup for the row.
public struct LatestRowRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let skillSQL = """
        WITH latest AS (
            SELECT a.id AS account_id, a.display_name AS name,
                (SELECT s.id FROM snapshots s WHERE s.account_id = a.id ORDER BY s.fetched_at DESC, s.id DESC LIMIT 1) AS snapshot_id
            FROM clan_members m JOIN accounts a ON a.id = m.account_id
            WHERE m.clan_id = ?1 AND m.is_active = 1
        )
        SELECT l.account_id, l.name, s.fetched_at, r.rank, r.level, r.xp
        FROM latest l
        LEFT JOIN snapshots s ON s.id = l.snapshot_id
        LEFT JOIN snapshot_skills r ON r.snapshot_id = l.snapshot_id AND r.skill_id = ?2
        ORDER BY l.account_id
        """

    static let activitySQL = """
        WITH latest AS (
            SELECT a.id AS account_id, a.display_name AS name,
                (SELECT s.id FROM snapshots s WHERE s.account_id = a.id ORDER BY s.fetched_at DESC, s.id DESC LIMIT 1) AS snapshot_id
            FROM clan_members m JOIN accounts a ON a.id = m.account_id
            WHERE m.clan_id = ?1 AND m.is_active = 1
        )
        SELECT l.account_id, l.name, s.fetched_at, r.rank, NULL, r.score
        FROM latest l
        LEFT JOIN snapshots s ON s.id = l.snapshot_id
        LEFT JOIN snapshot_activities r ON r.snapshot_id = l.snapshot_id AND r.activity_id = ?2
        ORDER BY l.account_id
        """

    /// Every active member with their latest snapshot's time and `row` (nil where missing). Throws
    /// `UnknownMetricRow` when no snapshot ever held the row. Returns the row's stored name too.
    public func fetch(clanID: Int64, row: MetricRow) throws -> (name: String, members: [ClanHiscores.Input]) {
        let (rowID, name) = try db.memberWindows.resolve(row: row)
        let isSkill: Bool
        if case .skill = row { isSkill = true } else { isSkill = false }
        let members = try db.query(isSkill ? Self.skillSQL : Self.activitySQL, [clanID, rowID]) { result in
            ClanHiscores.Input(accountID: try result.int64(0), name: try result.string(1), snapshotAt: try result.get(2, as: Date?.self),
                               rank: try result.get(3, as: Int?.self), level: try result.get(4, as: Int?.self), value: try result.get(5, as: Int64?.self))
        }
        return (name, members)
    }
}
