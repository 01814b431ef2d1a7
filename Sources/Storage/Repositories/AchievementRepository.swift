import Domain
import Foundation

/// Achievements (`achievements`): stored once each, listed newest first for a clan or one account, and read
/// after an id (an announcer's cursor).
public struct AchievementRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let columns = """
        h.id, a.display_name, h.account_id, h.kind, h.metric, h.threshold, h.value,
        COALESCE(h.previous_snapshot_id, 0), h.previous_at, COALESCE(h.snapshot_id, 0), h.reached_at, h.recorded_at
        """

    /// Stores the achievements not stored before and returns only those (in the given order). One already stored
    /// (same account, kind, metric and threshold) is left as it is: the first window it was seen in stays.
    public func insertNew(_ achievements: [Achievement], now: Date) throws -> [StoredAchievement] {
        guard !achievements.isEmpty else { return [] }
        return try db.transaction {
            var stored: [StoredAchievement] = []
            for achievement in achievements {
                let changed = try db.execute("""
                    INSERT INTO achievements (account_id, kind, metric, threshold, value, previous_snapshot_id, previous_at,
                                              snapshot_id, reached_at, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (account_id, kind, metric, threshold) DO NOTHING
                    """, [achievement.accountID, achievement.kind.rawValue, achievement.metric, achievement.threshold, achievement.value,
                          achievement.previous.id, achievement.previous.at, achievement.reached.id, achievement.reached.at, now]
                    as [any SQLBindable])
                guard changed == 1 else { continue }
                let id = try db.lastInsertRowID
                if let row = try db.queryFirst("SELECT \(Self.columns) FROM achievements h JOIN accounts a ON a.id = h.account_id WHERE h.id = ?",
                                               [id], Self.read) {
                    stored.append(row)
                }
            }
            return stored
        }
    }

    /// The clan's active members' achievements (or one account's), newest first: at most `limit`, reached before
    /// `before` when given (paging).
    public func recent(clanID: Int64, accountID: Int64? = nil, before: Date? = nil, limit: Int) throws -> [StoredAchievement] {
        try db.query("""
            SELECT \(Self.columns) FROM achievements h
            JOIN clan_members m ON m.account_id = h.account_id AND m.clan_id = :clan AND m.is_active = 1
            JOIN accounts a ON a.id = h.account_id
            WHERE (CAST(:account AS BIGINT) IS NULL OR h.account_id = :account) AND (CAST(:before AS BIGINT) IS NULL OR h.reached_at < :before)
            ORDER BY h.reached_at DESC, h.id DESC LIMIT :limit
            """, named: ["clan": clanID, "account": accountID, "before": before, "limit": max(0, limit)], Self.read)
    }

    /// Achievements of the clan's active members stored after the one with id `afterID`, oldest first: what an
    /// announcer has not posted yet when it keeps the last id it posted.
    public func stored(clanID: Int64, after afterID: Int64, limit: Int) throws -> [StoredAchievement] {
        try db.query("""
            SELECT \(Self.columns) FROM achievements h
            JOIN clan_members m ON m.account_id = h.account_id AND m.clan_id = ? AND m.is_active = 1
            JOIN accounts a ON a.id = h.account_id
            WHERE h.id > ? ORDER BY h.id LIMIT ?
            """, [clanID, afterID, max(0, limit)], Self.read)
    }

    /// How many achievements the clan's active members (or one account) hold.
    public func count(clanID: Int64, accountID: Int64? = nil) throws -> Int {
        try db.scalar("""
            SELECT count(*) FROM achievements h
            JOIN clan_members m ON m.account_id = h.account_id AND m.clan_id = :clan AND m.is_active = 1
            WHERE (CAST(:account AS BIGINT) IS NULL OR h.account_id = :account)
            """, named: ["clan": clanID, "account": accountID], as: Int.self) ?? 0
    }

    static func read(_ row: Row) throws -> StoredAchievement {
        guard let kind = AchievementKind(rawValue: try row.string(3)) else {
            throw StorageError.invalidSnapshot("achievement \(try row.int64(0)) has an unknown kind '\(try row.string(3))'")
        }
        let achievement = Achievement(
            accountID: try row.int64(2), kind: kind, metric: try row.string(4), threshold: try row.int64(5), value: try row.int64(6),
            previous: SnapshotMark(id: try row.int64(7), at: try row.date(8)), reached: SnapshotMark(id: try row.int64(9), at: try row.date(10)))
        return StoredAchievement(id: try row.int64(0), accountName: try row.string(1), achievement: achievement, recordedAt: try row.date(11))
    }
}
