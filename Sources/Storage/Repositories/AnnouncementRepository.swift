import Domain
import Foundation

/// The clans' announcement channels and their outbox (migration 5). Claiming is one conditional UPDATE, so two
/// processes sharing the database never both post the same row.
public struct AnnouncementRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    // MARK: - Channels

    static let channelColumns = "clan_id, channel_id, kinds, set_by, set_at, blocked_missing, blocked_since, blocked_told_at, standings_every_hours, standings_at_minute"

    static func decodeChannel(_ row: Row) throws -> AnnouncementChannel {
        // Kinds this build does not know (written by a newer one) are skipped, not fatal.
        let kinds = try row.string(2).split(separator: ",").compactMap { AnnouncementKind(rawValue: String($0)) }
        var block: AnnouncementBlock?
        if let missing: String = try row.get(5), let permission = AnnouncementPermission(rawValue: missing), let since: Date = try row.get(6) {
            block = AnnouncementBlock(missing: permission, since: since, toldAt: try row.get(7))
        }
        var standings: StandingsSchedule?
        if let hours: Int = try row.get(8), let cadence = StandingsSchedule.Cadence(rawValue: hours) {
            standings = StandingsSchedule(every: cadence, minuteOfDay: try row.int(9))
        }
        return AnnouncementChannel(clanID: try row.int64(0), channelID: try row.string(1), kinds: Set(kinds), setBy: try row.string(3),
                                   setAt: try row.date(4), blocked: block, standings: standings)
    }

    /// Sets (or replaces) the clan's channel; a refusal noted before is forgotten (the officer says it is fixed).
    @discardableResult
    public func setChannel(clanID: Int64, channelID: String, kinds: Set<AnnouncementKind>, setBy: String, now: Date) throws -> AnnouncementChannel {
        let text = kinds.map(\.rawValue).sorted().joined(separator: ",")
        try translatingConstraints({
            try db.execute(
                """
                INSERT INTO announcement_channels (clan_id, channel_id, kinds, set_by, set_at, achievement_cursor, activity_cursor, summary_cursor)
                VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(id), 0) FROM achievements),
                        (SELECT coalesce(max(id), 0) FROM clan_activity WHERE clan_id = ?1),
                        (SELECT coalesce(max(id), 0) FROM clan_snapshots WHERE clan_id = ?1))
                ON CONFLICT (clan_id) DO UPDATE SET channel_id = excluded.channel_id, kinds = excluded.kinds, set_by = excluded.set_by,
                    set_at = excluded.set_at, blocked_missing = NULL, blocked_since = NULL, blocked_told_at = NULL
                """,
                [clanID, channelID, text, setBy, now])
        }) { error in
            error.isForeignKeyViolation ? .unknownClan("with id \(clanID)") : nil
        }
        guard let channel = try channel(clanID: clanID) else { throw StorageError.unknownClan("with id \(clanID)") }
        return channel
    }

    public func channel(clanID: Int64) throws -> AnnouncementChannel? {
        try db.queryFirst("SELECT \(Self.channelColumns) FROM announcement_channels WHERE clan_id = ?", [clanID]) { try Self.decodeChannel($0) }
    }

    /// Every clan that has a channel.
    public func channels() throws -> [AnnouncementChannel] {
        try db.query("SELECT \(Self.channelColumns) FROM announcement_channels ORDER BY clan_id", []) { try Self.decodeChannel($0) }
    }

    /// Stops announcing; posts still waiting are dropped (they would go nowhere). Returns whether there was a channel.
    @discardableResult
    public func removeChannel(clanID: Int64) throws -> Bool {
        try db.execute("DELETE FROM announcement_outbox WHERE clan_id = ? AND status = 'pending'", [clanID])
        return try db.execute("DELETE FROM announcement_channels WHERE clan_id = ?", [clanID]) == 1
    }

    /// Sets (nil: clears) when the clan's running contests' standings are posted, and whether the channel takes
    /// standings posts at all. Returns the channel, or nil when the clan has none.
    public func setStandings(clanID: Int64, _ schedule: StandingsSchedule?) throws -> AnnouncementChannel? {
        guard var channel = try channel(clanID: clanID) else { return nil }
        if schedule == nil { channel.kinds.remove(.contestStandings) } else { channel.kinds.insert(.contestStandings) }
        let text = channel.kinds.map(\.rawValue).sorted().joined(separator: ",")
        try db.execute("UPDATE announcement_channels SET standings_every_hours = ?, standings_at_minute = ?, kinds = ? WHERE clan_id = ?",
                       [schedule?.every.hours, schedule?.minuteOfDay ?? 0, text, clanID] as [any SQLBindable])
        return try self.channel(clanID: clanID)
    }

    /// Whether the clan's outbox already holds a post with this key (sent or not).
    public func has(clanID: Int64, eventKey: String) throws -> Bool {
        try db.scalar("SELECT count(*) FROM announcement_outbox WHERE clan_id = ? AND event_key = ?", [clanID, eventKey], as: Int64.self) ?? 0 > 0
    }

    /// Notes the permission Discord refused (the first refusal wins until an officer sets the channel again).
    public func block(clanID: Int64, channelID: String, missing: AnnouncementPermission, now: Date) throws {
        try db.execute(
            "UPDATE announcement_channels SET blocked_missing = ?, blocked_since = ? WHERE clan_id = ? AND channel_id = ? AND blocked_missing IS NULL",
            [missing.rawValue, now, clanID, channelID])
    }

    /// Notes that officers were shown the refusal; true when this call is the first to note it.
    public func markBlockTold(clanID: Int64, now: Date) throws -> Bool {
        try db.execute(
            "UPDATE announcement_channels SET blocked_told_at = ? WHERE clan_id = ? AND blocked_missing IS NOT NULL AND blocked_told_at IS NULL",
            [now, clanID]) == 1
    }

    /// The last achievement id queued (or skipped) for the clan's channel; nil without a channel.
    public func achievementCursor(clanID: Int64) throws -> Int64? {
        try db.scalar("SELECT achievement_cursor FROM announcement_channels WHERE clan_id = ?", [clanID], as: Int64.self)
    }

    public func setAchievementCursor(clanID: Int64, _ cursor: Int64) throws {
        try db.execute("UPDATE announcement_channels SET achievement_cursor = ?1 WHERE clan_id = ?2 AND achievement_cursor < ?1", [cursor, clanID])
    }

    /// The last clan activity id queued (or skipped) for the clan's channel; nil without a channel.
    public func activityCursor(clanID: Int64) throws -> Int64? {
        try db.scalar("SELECT activity_cursor FROM announcement_channels WHERE clan_id = ?", [clanID], as: Int64.self)
    }

    public func setActivityCursor(clanID: Int64, _ cursor: Int64) throws {
        try db.execute("UPDATE announcement_channels SET activity_cursor = ?1 WHERE clan_id = ?2 AND activity_cursor < ?1", [cursor, clanID])
    }

    /// The last batch id summarised (or skipped) for the clan's channel; nil without a channel.
    public func summaryCursor(clanID: Int64) throws -> Int64? {
        try db.scalar("SELECT summary_cursor FROM announcement_channels WHERE clan_id = ?", [clanID], as: Int64.self)
    }

    public func setSummaryCursor(clanID: Int64, _ cursor: Int64) throws {
        try db.execute("UPDATE announcement_channels SET summary_cursor = ?1 WHERE clan_id = ?2 AND summary_cursor < ?1", [cursor, clanID])
    }

    // MARK: - Outbox

    static let outboxColumns = "id, clan_id, event_key, kind, payload, status, attempts, created_at"

    static func decodeItem(_ row: Row) throws -> QueuedAnnouncement? {
        guard let kind = AnnouncementKind(rawValue: try row.string(3)),
              let status = QueuedAnnouncement.Status(rawValue: try row.string(5)) else { return nil }
        return QueuedAnnouncement(id: try row.int64(0), clanID: try row.int64(1), eventKey: try row.string(2), kind: kind,
                                  payload: try row.string(4), status: status, attempts: try row.int(6), createdAt: try row.date(7))
    }

    /// Queues a post unless one with this key was queued before (true when it is new).
    @discardableResult
    public func enqueue(clanID: Int64, eventKey: String, kind: AnnouncementKind, payload: String, now: Date) throws -> Bool {
        try db.execute(
            "INSERT INTO announcement_outbox (clan_id, event_key, kind, payload, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (clan_id, event_key) DO NOTHING",
            [clanID, eventKey, kind.rawValue, payload, now]) == 1
    }

    /// Pending posts of the clan, oldest first.
    public func pending(clanID: Int64, limit: Int) throws -> [QueuedAnnouncement] {
        try db.query(
            "SELECT \(Self.outboxColumns) FROM announcement_outbox WHERE clan_id = ? AND status = 'pending' ORDER BY id LIMIT ?",
            [clanID, limit]) { try Self.decodeItem($0) }.compactMap { $0 }
    }

    public func item(id: Int64) throws -> QueuedAnnouncement? {
        try db.queryFirst("SELECT \(Self.outboxColumns) FROM announcement_outbox WHERE id = ?", [id]) { try Self.decodeItem($0) } ?? nil
    }

    /// Claims a pending post for this process; false when another process claimed (or finished) it first.
    public func claim(id: Int64, channelID: String, now: Date) throws -> Bool {
        try db.execute(
            "UPDATE announcement_outbox SET status = 'claimed', claimed_at = ?, channel_id = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'",
            [now, channelID, id]) == 1
    }

    public func markSent(id: Int64, messageID: String?, now: Date) throws {
        try db.execute("UPDATE announcement_outbox SET status = 'sent', sent_at = ?, message_id = ?, last_error = NULL WHERE id = ?",
                       [now, messageID, id])
    }

    /// Gives a claimed post back (Discord did not take it and may later), or fails it for good.
    public func release(id: Int64, error: String, giveUp: Bool) throws {
        try db.execute("UPDATE announcement_outbox SET status = ?, last_error = ?, claimed_at = NULL WHERE id = ? AND status = 'claimed'",
                       [giveUp ? "failed" : "pending", error, id])
    }

    /// Posts claimed before `cutoff` and never marked: their process stopped mid-post. They become `uncertain`
    /// and are not posted again. Returns how many.
    @discardableResult
    public func abandonStaleClaims(before cutoff: Date) throws -> Int {
        try db.execute("UPDATE announcement_outbox SET status = 'uncertain' WHERE status = 'claimed' AND claimed_at < ?", [cutoff])
    }

    public func counts(clanID: Int64) throws -> AnnouncementCounts {
        var counts = AnnouncementCounts()
        try db.forEach("SELECT status, count(*) FROM announcement_outbox WHERE clan_id = ? GROUP BY status", [clanID]) { row in
            let number = try row.int(1)
            switch try row.string(0) {
            case "pending", "claimed": counts.pending += number
            case "sent": counts.sent += number
            case "uncertain": counts.uncertain += number
            case "failed": counts.failed += number
            default: break
            }
        }
        counts.lastSentAt = try db.scalar("SELECT max(sent_at) FROM announcement_outbox WHERE clan_id = ?", [clanID], as: Date.self)
        return counts
    }
}
