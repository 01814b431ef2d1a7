import Domain
import Foundation

/// The few facts about a clan the snapshot, schedule and stats services need.
public struct ClanFacts: Sendable, Hashable {
    public let id: Int64
    public let guildID: String
    public let name: String
    public let slug: String
    public let timeZoneIdentifier: String
    public let defaultBoard: HiscoresBoard

    /// The clan's zone; an unreadable stored name falls back to UTC rather than failing a report.
    public var timeZone: TimeZone { TimeZone(identifier: timeZoneIdentifier) ?? TimeZone(secondsFromGMT: 0) ?? .current }
}

/// Finds clans by id, slug or name, and lists their active members.
public enum ClanLookupQueries {
    static let columns = "id, guild_id, name, slug, timezone, default_snapshot_mode"

    public static func clan(_ db: Database, id: Int64) throws -> ClanFacts? {
        try db.queryFirst("SELECT \(columns) FROM clans WHERE id = ?", [id], facts)
    }

    /// Matches a slug exactly, else a name without case. Several matches (clans of different guilds
    /// sharing a slug) come back together so the caller can ask which one.
    public static func clans(_ db: Database, named text: String) throws -> [ClanFacts] {
        let bySlug = try db.query("SELECT \(columns) FROM clans WHERE slug = ? ORDER BY id", [text.lowercased()], facts)
        if !bySlug.isEmpty { return bySlug }
        return try db.query("SELECT \(columns) FROM clans WHERE name = ? COLLATE NOCASE ORDER BY id", [text], facts)
    }

    /// The active members' account ids and display names, in account id order.
    public static func activeMembers(_ db: Database, clanID: Int64) throws -> [(accountID: Int64, displayName: String)] {
        try db.query("""
            SELECT a.id, a.display_name FROM clan_members m JOIN accounts a ON a.id = m.account_id
            WHERE m.clan_id = ? AND m.is_active = 1 ORDER BY a.id
            """, [clanID]) { (try $0.int64(0), try $0.string(1)) }
    }

    private static func facts(_ row: Row) throws -> ClanFacts {
        ClanFacts(id: try row.int64(0), guildID: try row.string(1), name: try row.string(2), slug: try row.string(3),
                  timeZoneIdentifier: try row.string(4), defaultBoard: HiscoresBoard(key: try row.string(5)) ?? .regular)
    }
}
