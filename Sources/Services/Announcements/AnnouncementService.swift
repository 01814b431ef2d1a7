import Domain
import Foundation
import Storage

/// The clans' announcements channels and the outbox their posts go through. The channel announcer (in Bot, which
/// knows Discord) renders each clan event to message bodies, queues them here under a unique event key, and
/// posts them one by one: claim, POST, mark sent. Queueing is idempotent, so an event seen twice is posted once.
public struct AnnouncementService: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    /// One post to queue: its unique key within the clan, its kind and the message body (JSON).
    public struct Post: Sendable, Hashable {
        public var eventKey: String
        public var kind: AnnouncementKind
        public var payload: String

        public init(eventKey: String, kind: AnnouncementKind, payload: String) {
            self.eventKey = eventKey
            self.kind = kind
            self.payload = payload
        }
    }

    /// What `/announce show` shows.
    public struct Status: Sendable {
        public var channel: AnnouncementChannel?
        public var counts: AnnouncementCounts
    }

    // MARK: - Officers' settings

    /// Sets the clan's channel and the kinds it gets ("" or "all": every kind).
    public func set(clanID: Int64, channelID: String, kinds text: String, setBy: String, now: Date = Date()) async throws -> AnnouncementChannel {
        let kinds: Set<AnnouncementKind>
        do {
            kinds = try AnnouncementKind.parseList(text)
        } catch {
            throw ServiceError.invalidRequest(error.description)
        }
        return try await store.write { db in try db.announcements.setChannel(clanID: clanID, channelID: channelID, kinds: kinds, setBy: setBy, now: now) }
    }

    public func status(clanID: Int64) async throws -> Status {
        try await store.read { db in
            Status(channel: try db.announcements.channel(clanID: clanID), counts: try db.announcements.counts(clanID: clanID))
        }
    }

    /// Sets when the standings of the clan's running contests are posted (`every`: daily, 12h, 6h or off; `at`: the
    /// first post of the day, HH:MM in the clan's time zone). The channel then takes standings posts, or no longer
    /// does. Refused when the clan has no channel yet.
    public func setStandings(clanID: Int64, every: String, at: String?) async throws -> AnnouncementChannel {
        let schedule: StandingsSchedule?
        do {
            schedule = try StandingsSchedule.parse(every: every, at: at)
        } catch {
            throw ServiceError.invalidRequest(error.description)
        }
        guard let channel = try await store.write({ db in try db.announcements.setStandings(clanID: clanID, schedule) }) else {
            throw ServiceError.invalidRequest("the clan has no announcements channel yet: choose one with `/announce set channel:#clan-events` first")
        }
        return channel
    }

    /// Stops the clan's announcements; false when there were none.
    public func turnOff(clanID: Int64) async throws -> Bool {
        try await store.write { db in try db.announcements.removeChannel(clanID: clanID) }
    }

    /// The refusal officers have not been told about yet, noted as told (so it is told once).
    public func untoldRefusal(clanID: Int64, now: Date = Date()) async throws -> String? {
        try await store.write { db in
            guard let channel = try db.announcements.channel(clanID: clanID), let block = channel.blocked, block.toldAt == nil,
                  try db.announcements.markBlockTold(clanID: clanID, now: now) else { return nil }
            return block.notice(channelID: channel.channelID)
        }
    }

    // MARK: - The announcer's side

    public func channel(clanID: Int64) async throws -> AnnouncementChannel? {
        try await store.read { db in try db.announcements.channel(clanID: clanID) }
    }

    /// The clan (its name and time zone), or nil when it is gone.
    public func clan(clanID: Int64) async throws -> Clan? {
        try await store.read { db in try db.clans.find(id: clanID) }
    }

    /// Whether the clan's outbox holds a post with this key already (so an expensive post is not rendered again).
    public func has(clanID: Int64, eventKey: String) async throws -> Bool {
        try await store.read { db in try db.announcements.has(clanID: clanID, eventKey: eventKey) }
    }

    /// The clan's name, or nil when the clan is gone.
    public func clanName(clanID: Int64) async throws -> String? {
        try await store.read { db in try db.clans.find(id: clanID)?.name }
    }

    public func channels() async throws -> [AnnouncementChannel] {
        try await store.read { db in try db.announcements.channels() }
    }

    /// Queues the posts the clan's channel subscribes to; returns how many were new.
    @discardableResult
    public func enqueue(clanID: Int64, _ posts: [Post], now: Date = Date()) async throws -> Int {
        guard !posts.isEmpty else { return 0 }
        return try await store.write { db in
            guard let channel = try db.announcements.channel(clanID: clanID) else { return 0 }
            var added = 0
            for post in posts where channel.kinds.contains(post.kind) {
                if try db.announcements.enqueue(clanID: clanID, eventKey: post.eventKey, kind: post.kind, payload: post.payload, now: now) { added += 1 }
            }
            return added
        }
    }

    /// Queues the achievements stored since the channel's cursor (rendered by `render`, which gets at most
    /// `limit` at a time, oldest first) and moves the cursor past them, in one transaction: each achievement is
    /// queued once, including those a crashed batch stored before anyone announced them. Without a channel that
    /// wants achievements, the cursor still moves, so turning them on later does not post the history.
    @discardableResult
    public func enqueueAchievements(clanID: Int64, limit: Int = 25, now: Date = Date(),
                                    render: @escaping @Sendable ([StoredAchievement]) -> [Post]) async throws -> Int {
        try await store.write { db in
            guard let channel = try db.announcements.channel(clanID: clanID), var cursor = try db.announcements.achievementCursor(clanID: clanID) else { return 0 }
            var added = 0
            while true {
                let batch = try db.achievements.stored(clanID: clanID, after: cursor, limit: limit)
                guard let last = batch.last else { break }
                if channel.kinds.contains(.achievement) {
                    for post in render(batch)
                    where try db.announcements.enqueue(clanID: clanID, eventKey: post.eventKey, kind: post.kind, payload: post.payload, now: now) {
                        added += 1
                    }
                }
                cursor = last.id
            }
            // Achievements of accounts no longer in the clan are skipped too.
            let newest = try db.scalar("SELECT coalesce(max(id), 0) FROM achievements", [], as: Int64.self) ?? cursor
            try db.announcements.setAchievementCursor(clanID: clanID, max(cursor, newest))
            return added
        }
    }

    /// Queues the clan's activity (joins, leaves, renames, hardcore deaths) recorded since the channel's cursor,
    /// rendered by `render` (oldest first, at most `limit` at a time), and moves the cursor past it in the same
    /// transaction: each is queued once, also when the process that recorded it stopped before announcing it.
    /// Kinds the channel does not take are skipped, and the cursor still moves.
    @discardableResult
    public func enqueueActivity(clanID: Int64, limit: Int = 25, now: Date = Date(),
                                render: @escaping @Sendable ([ClanActivity]) -> [Post]) async throws -> Int {
        try await store.write { db in
            guard let channel = try db.announcements.channel(clanID: clanID), var cursor = try db.announcements.activityCursor(clanID: clanID) else { return 0 }
            var added = 0
            while true {
                let batch = try db.activity.list(clanID: clanID, after: cursor, limit: limit)
                guard let last = batch.last else { break }
                let wanted = batch.filter { channel.kinds.contains($0.kind.announcement) }
                if !wanted.isEmpty {
                    for post in render(wanted)
                    where try db.announcements.enqueue(clanID: clanID, eventKey: post.eventKey, kind: post.kind, payload: post.payload, now: now) {
                        added += 1
                    }
                }
                cursor = last.id
            }
            // Rows this build cannot read (a newer build's kinds) are passed too.
            try db.announcements.setActivityCursor(clanID: clanID, max(cursor, try db.activity.newestID(clanID: clanID)))
            return added
        }
    }

    /// Queues the summary of each scheduled batch finished since the channel's summary cursor (`BatchSummary`:
    /// the top xp gainers of the day or week, rendered by `render`) and moves the cursor past them in the same
    /// transaction, so each scheduled batch is summarised once, also one recovered after a crash, whoever finished
    /// it. The cursor stops before a scheduled batch still running; batches without a single snapshot are passed.
    @discardableResult
    public func enqueueSummaries(clanID: Int64, limit: Int = 10, now: Date = Date(),
                                 render: @escaping @Sendable (BatchSummary) -> [Post]) async throws -> Int {
        try await store.write { db in
            guard let channel = try db.announcements.channel(clanID: clanID), var cursor = try db.announcements.summaryCursor(clanID: clanID) else { return 0 }
            var added = 0
            scan: while true {
                let batches = try db.batchRuns.scheduled(clanID: clanID, after: cursor, limit: limit)
                if batches.isEmpty { break }
                for batch in batches {
                    guard batch.status.isFinished else { break scan }
                    if channel.kinds.contains(.batchSummary), batch.succeededCount > 0, let finishedAt = batch.finishedAt {
                        let previous = try db.batchRuns.scheduled(clanID: clanID, before: batch.id)
                        let period = BatchSummary.period(slot: batch.scheduledFor ?? batch.queuedAt, previousSlot: previous.map { $0.scheduledFor ?? $0.queuedAt })
                        let window = BatchSummary.window(period: period, end: finishedAt)
                        let members = try db.memberWindows.fetch(clanID: clanID, window: window, rows: .one(LeaderboardMetric.xpGained.row))
                        let board = Leaderboard.build(metric: .xpGained, timeframe: period.rawValue, window: window, generatedAt: finishedAt, members: members)
                        for post in render(BatchSummary(batch: batch, period: period, window: window, board: board))
                        where try db.announcements.enqueue(clanID: clanID, eventKey: post.eventKey, kind: post.kind, payload: post.payload, now: now) {
                            added += 1
                        }
                    }
                    cursor = batch.id
                }
            }
            try db.announcements.setSummaryCursor(clanID: clanID, cursor)
            return added
        }
    }

    public func pending(clanID: Int64, limit: Int = 20) async throws -> [QueuedAnnouncement] {
        try await store.read { db in try db.announcements.pending(clanID: clanID, limit: limit) }
    }

    public func claim(_ item: QueuedAnnouncement, channelID: String, now: Date = Date()) async throws -> Bool {
        try await store.write { db in try db.announcements.claim(id: item.id, channelID: channelID, now: now) }
    }

    public func markSent(_ item: QueuedAnnouncement, messageID: String?, now: Date = Date()) async throws {
        try await store.write { db in try db.announcements.markSent(id: item.id, messageID: messageID, now: now) }
    }

    public func release(_ item: QueuedAnnouncement, error: String, giveUp: Bool) async throws {
        try await store.write { db in try db.announcements.release(id: item.id, error: error, giveUp: giveUp) }
    }

    /// Discord refused the channel for lack of `missing`: posting stops until officers set the channel again.
    public func block(clanID: Int64, channelID: String, missing: AnnouncementPermission, now: Date = Date()) async throws {
        try await store.write { db in try db.announcements.block(clanID: clanID, channelID: channelID, missing: missing, now: now) }
    }

    /// Claims older than `cutoff` whose process stopped mid-post become `uncertain` (never posted again).
    @discardableResult
    public func abandonStaleClaims(before cutoff: Date) async throws -> Int {
        try await store.write { db in try db.announcements.abandonStaleClaims(before: cutoff) }
    }
}
