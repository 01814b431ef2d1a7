import Domain
import Foundation

/// Reads and writes the cached aggregates in `clan_stats` and `clan_leaderboards`.
///
/// Rolling timeframes (7d, 30d, mtd) move with the clock, so their cache key is the timeframe and a
/// freshness limit, not the exact window; custom windows are keyed by their start and end. Every entry
/// of a clan is deleted when one of its batches finishes (`invalidate`).
public struct AggregateCacheRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    /// Which cached aggregate: the stats report, or one leaderboard.
    public enum Kind: Sendable, Hashable {
        case stats
        case leaderboard(metric: String, target: String)
    }

    /// A cache row without its payload: enough to tell whether an in-memory copy is still current.
    public struct Entry: Sendable, Hashable {
        public let id: Int64
        public let generatedAt: Date
        public let start: Date
        public let end: Date
    }

    /// The newest entry for `kind`, generated no earlier than `notBefore`, for `timeframe`
    /// (and for a custom timeframe, exactly `window`).
    public func find(clanID: Int64, kind: Kind, timeframe: Timeframe, window: TimeWindow,
                     notBefore: Date) throws -> Entry? {
        let (sql, arguments) = lookup(columns: "id, generated_at, start_at, end_at", clanID: clanID, kind: kind,
                                      timeframe: timeframe, window: window, notBefore: notBefore)
        return try db.queryFirst(sql, arguments) { row in
            Entry(id: try row.int64(0), generatedAt: try row.date(1), start: try row.date(2), end: try row.date(3))
        }
    }

    /// The payload (JSON text) of a cache row.
    public func payload(kind: Kind, id: Int64) throws -> String? {
        try db.scalar("SELECT payload FROM \(table(kind)) WHERE id = ?", [id], as: String.self)
    }

    /// Stores a freshly computed aggregate, replacing older entries of the same key. Returns the new entry.
    @discardableResult
    public func store(clanID: Int64, kind: Kind, timeframe: Timeframe, window: TimeWindow,
                      generatedAt: Date, payload: String) throws -> Entry {
        try db.transaction(.immediate) {
            switch kind {
            case .stats:
                try db.execute("DELETE FROM clan_stats WHERE clan_id = ? AND timeframe = ?" + (timeframe.key == "custom" ? " AND start_at = ? AND end_at = ?" : ""),
                               [clanID, timeframe.key] + (timeframe.key == "custom" ? [window.start, window.end] : []))
                try db.execute("""
                    INSERT INTO clan_stats (clan_id, timeframe, start_at, end_at, generated_at, payload)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, [clanID, timeframe.key, window.start, window.end, generatedAt, payload])
            case .leaderboard(let metric, let target):
                try db.execute("DELETE FROM clan_leaderboards WHERE clan_id = ? AND metric = ? AND metric_target = ? AND timeframe = ?"
                               + (timeframe.key == "custom" ? " AND start_at = ? AND end_at = ?" : ""),
                               [clanID, metric, target, timeframe.key] + (timeframe.key == "custom" ? [window.start, window.end] : []))
                try db.execute("""
                    INSERT INTO clan_leaderboards (clan_id, metric, metric_target, timeframe, start_at, end_at, generated_at, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, [clanID, metric, target, timeframe.key, window.start, window.end, generatedAt, payload])
            }
            return Entry(id: try db.lastInsertRowID, generatedAt: generatedAt, start: window.start, end: window.end)
        }
    }

    /// Drops every cached aggregate of a clan (a batch finished, members changed).
    public func invalidate(clanID: Int64) throws {
        try db.execute("DELETE FROM clan_stats WHERE clan_id = ?", [clanID])
        try db.execute("DELETE FROM clan_leaderboards WHERE clan_id = ?", [clanID])
    }

    /// Drops the cached aggregates of every clan `accountID` is an active member of (a lone snapshot).
    public func invalidate(accountID: Int64) throws {
        let clans = "SELECT clan_id FROM clan_members WHERE account_id = ? AND is_active = 1"
        try db.execute("DELETE FROM clan_stats WHERE clan_id IN (\(clans))", [accountID])
        try db.execute("DELETE FROM clan_leaderboards WHERE clan_id IN (\(clans))", [accountID])
    }

    private func table(_ kind: Kind) -> String {
        switch kind {
        case .stats: "clan_stats"
        case .leaderboard: "clan_leaderboards"
        }
    }

    private func lookup(columns: String, clanID: Int64, kind: Kind, timeframe: Timeframe, window: TimeWindow,
                        notBefore: Date) -> (String, [any SQLBindable]) {
        var sql = "SELECT \(columns) FROM \(table(kind)) WHERE clan_id = ?"
        var arguments: [any SQLBindable] = [clanID]
        if case .leaderboard(let metric, let target) = kind {
            sql += " AND metric = ? AND metric_target = ?"
            arguments += [metric, target]
        }
        sql += " AND timeframe = ?"
        arguments.append(timeframe.key)
        if case .custom = timeframe {
            sql += " AND start_at = ? AND end_at = ?"
            arguments += [window.start, window.end]
        }
        sql += " AND generated_at >= ? ORDER BY generated_at DESC LIMIT 1"
        arguments.append(notBefore)
        return (sql, arguments)
    }
}
