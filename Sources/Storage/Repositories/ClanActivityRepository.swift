import Domain
import Foundation

/// What happened to clans' rosters and members (`clan_activity`, migration 6), recorded with the change itself
/// and read after an id (the announcements channel's cursor).
public struct ClanActivityRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let columns = "id, clan_id, kind, account_id, name, previous_name, occurred_at, since"

    /// Records one thing that happened. With `dedupeKey`, a second record under the same key in the clan is
    /// ignored (false).
    @discardableResult
    public func record(clanID: Int64, kind: ClanActivity.Kind, accountID: Int64?, name: String, previousName: String? = nil,
                       occurredAt: Date, since: Date? = nil, dedupeKey: String? = nil) throws -> Bool {
        try db.execute("""
            INSERT INTO clan_activity (clan_id, kind, account_id, name, previous_name, occurred_at, since, dedupe_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (clan_id, dedupe_key) DO NOTHING
            """, [clanID, kind.rawValue, accountID, name, previousName, occurredAt, since, dedupeKey] as [any SQLBindable]) == 1
    }

    /// Records a hardcore ironman's death in every clan the account is an active member of, once per clan whatever
    /// re-runs or recoveries see it again. Returns the clans it was new to.
    public func recordHardcoreDeath(accountID: Int64, name: String, at occurredAt: Date, since: Date?) throws -> [Int64] {
        let clans = try db.query("SELECT clan_id FROM clan_members WHERE account_id = ? AND is_active = 1 ORDER BY clan_id", [accountID]) {
            try $0.int64(0)
        }
        return try clans.filter { clanID in
            try record(clanID: clanID, kind: .hardcoreDied, accountID: accountID, name: name, occurredAt: occurredAt, since: since,
                       dedupeKey: "hardcore.died:\(accountID)")
        }
    }

    /// The clan's activity after id `afterID`, oldest first (kinds this build does not know are skipped).
    public func list(clanID: Int64, after afterID: Int64, limit: Int) throws -> [ClanActivity] {
        try db.query("SELECT \(Self.columns) FROM clan_activity WHERE clan_id = ? AND id > ? ORDER BY id LIMIT ?",
                     [clanID, afterID, max(0, limit)], Self.read).compactMap { $0 }
    }

    /// The newest id of the clan's activity (0 when none).
    public func newestID(clanID: Int64) throws -> Int64 {
        try db.scalar("SELECT coalesce(max(id), 0) FROM clan_activity WHERE clan_id = ?", [clanID], as: Int64.self) ?? 0
    }

    static func read(_ row: Row) throws -> ClanActivity? {
        guard let kind = ClanActivity.Kind(rawValue: try row.string(2)) else { return nil }
        return ClanActivity(id: try row.int64(0), clanID: try row.int64(1), kind: kind, accountID: try row.get(3), name: try row.string(4),
                            previousName: try row.get(5), occurredAt: try row.date(6), since: try row.get(7))
    }
}
