import Domain
import Foundation

/// Every measurable snapshot of a clan's active members, reduced to one hiscores row: the history records are
/// computed from. One pass over `snapshots_by_account_time` joined to the row's long table.
public struct MetricHistoryRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let skillSQL = """
        SELECT m.account_id, a.display_name, s.id, s.fetched_at, r.rank, r.level, r.xp
        FROM clan_members m
        JOIN accounts a ON a.id = m.account_id
        JOIN snapshots s ON s.account_id = m.account_id AND s.rollback_rows IS NULL
        LEFT JOIN snapshot_skills r ON r.snapshot_id = s.id AND r.skill_id = ?2
        WHERE m.clan_id = ?1 AND m.is_active = 1
        ORDER BY m.account_id, s.fetched_at, s.id
        """

    static let activitySQL = """
        SELECT m.account_id, a.display_name, s.id, s.fetched_at, r.rank, 0, r.score
        FROM clan_members m
        JOIN accounts a ON a.id = m.account_id
        JOIN snapshots s ON s.account_id = m.account_id AND s.rollback_rows IS NULL
        LEFT JOIN snapshot_activities r ON r.snapshot_id = s.id AND r.activity_id = ?2
        WHERE m.clan_id = ?1 AND m.is_active = 1
        ORDER BY m.account_id, s.fetched_at, s.id
        """

    /// Each active member with their snapshots (oldest first) holding only `row`; a snapshot without the row has an
    /// empty record. Throws `UnknownMetricRow` when no snapshot ever held the row.
    public func fetch(clanID: Int64, row: MetricRow) throws -> [(accountID: Int64, name: String, snapshots: [PlayerSnapshot])] {
        let (rowID, name) = try db.memberWindows.resolve(row: row)
        let isSkill: Bool
        if case .skill = row { isSkill = true } else { isSkill = false }
        var members: [(accountID: Int64, name: String, snapshots: [PlayerSnapshot])] = []
        try db.forEach(isSkill ? Self.skillSQL : Self.activitySQL, [clanID, rowID]) { result in
            let accountID = try result.int64(0)
            if members.last?.accountID != accountID { members.append((accountID, try result.string(1), [])) }
            var record = HiscoresRecord(skills: [], activities: [])
            if !result.isNull(4) {
                let rank = Int(try result.int64(4))
                if isSkill {
                    record.skills = [SkillScore(name: name, rank: rank, level: Int(try result.int64(5)), xp: try result.int64(6))]
                } else {
                    record.activities = [ActivityScore(name: name, rank: rank, score: Int(try result.int64(6)))]
                }
            }
            members[members.count - 1].snapshots.append(PlayerSnapshot(
                id: try result.int64(2), accountID: accountID, fetchedAt: try result.date(3), requestedBoard: .regular,
                resolvedType: nil, latencyMs: 0, record: record))
        }
        return members
    }
}
