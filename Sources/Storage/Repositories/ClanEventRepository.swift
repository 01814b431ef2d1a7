import Foundation

/// One clan event as the log holds it (migration 12): what Services posted, as text they encoded.
public struct StoredClanEvent: Sendable, Equatable {
    public let id: Int64
    public let clanID: Int64
    /// The event's name, for log lines (`snapshot.finished`, `clan.activity`, …).
    public let kind: String
    /// Its JSON, as the posting build wrote it.
    public let payload: String
    public let postedBy: String
    public let postedAt: Date
    /// How many times it was claimed, this claim included (more than one: a process stopped while delivering it).
    public let attempts: Int
}

/// The clan events log: services record each event as they post it, and every process's delivery loop claims the
/// oldest open one, delivers it and marks it (issue 15). Claiming is a compare-and-set inside a write transaction
/// (one writer at a time on both engines), so each event is delivered by exactly one process; a claim older than
/// `expiredBefore` belongs to a process that stopped and is taken over. An event waits while an older one of its
/// clan is open, so each clan's events are delivered in the order they were posted.
///
/// On PostgreSQL, recording and delivering also NOTIFY `channel` (sent when the transaction commits), which wakes
/// every process LISTENing there (`Store.wakeUps(channel:)`), so nobody polls.
public struct ClanEventRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    /// The NOTIFY channel of the clan events.
    public static let channel = "clanbot_events"

    static let columns = "id, clan_id, kind, payload, posted_by, posted_at, attempts"

    static func decode(_ row: Row) throws -> StoredClanEvent {
        StoredClanEvent(id: try row.int64(0), clanID: try row.int64(1), kind: try row.string(2), payload: try row.string(3),
                        postedBy: try row.string(4), postedAt: try row.date(5), attempts: try row.int(6))
    }

    /// Records an event; returns its id (ids grow in commit order: writers run one at a time).
    @discardableResult
    public func record(clanID: Int64, kind: String, payload: String, postedBy: String, now: Date) throws -> Int64 {
        try db.execute("INSERT INTO clan_events (clan_id, kind, payload, posted_by, posted_at) VALUES (?, ?, ?, ?, ?)",
                       [clanID, kind, payload, postedBy, now])
        let id = try db.lastInsertRowID
        try notifyListeners()
        return id
    }

    /// Claims the oldest event that may be delivered now: open, unclaimed or claimed before `expiredBefore`, and
    /// the oldest open one of its clan. Nil when there is none.
    public func claimNext(owner: String, now: Date, expiredBefore: Date) throws -> StoredClanEvent? {
        try db.transaction(.immediate) {
            let next = try db.queryFirst("""
                SELECT \(Self.columns) FROM clan_events e
                WHERE e.status IN ('pending', 'claimed') AND (e.status = 'pending' OR e.claimed_at < ?)
                    AND NOT EXISTS (SELECT 1 FROM clan_events p
                                    WHERE p.clan_id = e.clan_id AND p.id < e.id AND p.status IN ('pending', 'claimed'))
                ORDER BY e.id LIMIT 1
                """, [expiredBefore], Self.decode)
            guard let next else { return nil }
            let claimed = try db.execute("""
                UPDATE clan_events SET status = 'claimed', claimed_by = ?, claimed_at = ?, attempts = attempts + 1
                WHERE id = ? AND (status = 'pending' OR (status = 'claimed' AND claimed_at < ?))
                """, [owner, now, next.id, expiredBefore] as [any SQLBindable])
            guard claimed == 1 else { return nil }
            return StoredClanEvent(id: next.id, clanID: next.clanID, kind: next.kind, payload: next.payload, postedBy: next.postedBy,
                                   postedAt: next.postedAt, attempts: next.attempts + 1)
        }
    }

    /// Marks a claimed event delivered; false when `owner` no longer holds the claim (it expired and another
    /// process took the event over).
    @discardableResult
    public func markDelivered(id: Int64, owner: String, now: Date) throws -> Bool {
        let marked = try db.execute(
            "UPDATE clan_events SET status = 'delivered', finished_at = ? WHERE id = ? AND status = 'claimed' AND claimed_by = ?",
            [now, id, owner] as [any SQLBindable]) == 1
        if marked { try notifyListeners() }
        return marked
    }

    /// Gives an event up for good (`reason` stays on the row), whoever holds it: no build will deliver it.
    public func skip(id: Int64, reason: String, now: Date) throws {
        try db.execute("UPDATE clan_events SET status = 'skipped', error = ?, finished_at = ? WHERE id = ? AND status IN ('pending', 'claimed')",
                       [reason, now, id] as [any SQLBindable])
        try notifyListeners()
    }

    /// The processes holding claims now (to tell which of them stopped).
    public func claimers() throws -> [String] {
        try db.query("SELECT DISTINCT claimed_by FROM clan_events WHERE status = 'claimed' AND claimed_by IS NOT NULL ORDER BY claimed_by", []) {
            try $0.string(0)
        }
    }

    /// Hands the events `claimer` holds back to the queue (it stopped: no need to wait for its claims to expire).
    @discardableResult
    public func release(claimedBy claimer: String) throws -> Int {
        let released = try db.execute("UPDATE clan_events SET status = 'pending' WHERE status = 'claimed' AND claimed_by = ?", [claimer])
        if released > 0 { try notifyListeners() }
        return released
    }

    /// The oldest event posted by `postedBy` that is still open (pending or claimed); nil when all are finished.
    public func oldestOpen(postedBy: String) throws -> Int64? {
        try db.scalar("SELECT min(id) FROM clan_events WHERE status IN ('pending', 'claimed') AND posted_by = ?", [postedBy], as: Int64.self)
    }

    /// Deletes finished events older than `before`; returns how many.
    @discardableResult
    public func prune(finishedBefore before: Date) throws -> Int {
        try db.execute("DELETE FROM clan_events WHERE status IN ('delivered', 'skipped') AND finished_at < ?", [before])
    }

    /// PostgreSQL: wakes every process LISTENing on `channel` once this transaction commits (nothing on SQLite,
    /// where a process's own posts wake its loop and the periodic pass finds the rest).
    func notifyListeners() throws {
        guard db.dialect == .postgres else { return }
        _ = try db.execute("SELECT pg_notify(CAST(? AS TEXT), '')", [Self.channel])
    }
}
