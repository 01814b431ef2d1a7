import Domain
import Foundation
import Storage

/// Ranks a clan's active members by one metric over a timeframe, through the `clan_leaderboards` cache.
///
/// A cached leaderboard is served while it is younger than `freshFor` (rolling windows move with the
/// clock) and until a batch of the clan finishes, which deletes it. Within one process the decoded
/// copy is kept too, so a warm read costs one indexed lookup.
/// An actor: the in-process memo of decoded boards is mutable state shared by every caller.
public actor LeaderboardService {
    public let store: Store
    private let freshFor: TimeInterval
    private let clock: @Sendable () -> Date
    private var memo = AggregateMemo<Leaderboard>()

    public init(store: Store, freshFor: TimeInterval = 600, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.freshFor = freshFor
        self.clock = clock
    }

    /// The leaderboard for `metric` over `timeframe`: cached when a current one exists, else computed and cached.
    public func leaderboard(clanID: Int64, metric: LeaderboardMetric, timeframe: Timeframe) async throws -> Leaderboard {
        // Whole milliseconds, as stored: a cached copy then equals the one computed.
        let now = Date(epochMilliseconds: clock().epochMilliseconds)
        let notBefore = now.addingTimeInterval(-freshFor)
        let found = try await store.read { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            let canonical = try Self.canonical(metric, db)
            let window = timeframe.window(at: now, timeZone: clan.zone)
            let kind = AggregateCacheRepository.Kind.leaderboard(metric: canonical.kind, target: canonical.parameter ?? "")
            let entry = try db.aggregateCache.find(clanID: clanID, kind: kind, timeframe: timeframe, window: window, notBefore: notBefore)
            return (canonical, window, kind, entry)
        }
        let (canonical, window, kind, entry) = found
        let key = "\(clanID)|\(canonical.cacheKey)|\(timeframe.key)|\(window.start.epochMilliseconds)|\(window.end.epochMilliseconds)"
        if let entry {
            if let held = memo.value(for: key, matching: entry) { return held }
            if let payload = try await store.read({ db in try db.aggregateCache.payload(kind: kind, id: entry.id) }),
               let cached = try? AggregateCoding.decode(Leaderboard.self, from: payload) {
                memo.remember(cached, rows: Self.rows(of: cached), for: key, entry: entry)
                return cached
            }
        }
        let board = try await compute(clanID: clanID, metric: canonical, timeframe: timeframe, window: window, now: now)
        let payload = try AggregateCoding.encode(board)
        let stored = try await store.write { db in
            try db.aggregateCache.store(clanID: clanID, kind: kind, timeframe: timeframe, window: window,
                                            generatedAt: now, payload: payload)
        }
        memo.remember(board, rows: Self.rows(of: board), for: key, entry: stored)
        return board
    }

    /// Computes the leaderboard from the snapshots, without reading or writing the cache.
    public func compute(clanID: Int64, metric: LeaderboardMetric, timeframe: Timeframe, window: TimeWindow, now: Date) async throws -> Leaderboard {
        let members = try await store.read { db in
            do {
                return try db.memberWindows.fetch(clanID: clanID, window: window, rows: .one(metric.row))
            } catch is UnknownMetricRow where metric.row == .skill("Overall") {
                // No snapshot has been stored yet: every member simply has no data.
                return try db.memberWindows.fetch(clanID: clanID, window: window, rows: .all)
            }
        }
        return Leaderboard.build(metric: metric, timeframe: timeframe.key, window: window, generatedAt: now, members: members)
    }

    /// A board's size for the memo's bound: one row per member.
    static func rows(of board: Leaderboard) -> Int { board.rows.count + board.withoutData.count }

    /// Forgets this process's decoded copies (the database rows are dropped by `AggregateCacheRepository.invalidate`).
    public func forgetMemo() { memo.forget() }

    /// The metric with its skill or boss spelled as the hiscores spell it ("zulrah" → "Zulrah").
    static func canonical(_ metric: LeaderboardMetric, _ db: Database) throws -> LeaderboardMetric {
        switch metric {
        case .skillXP:
            return .skillXP(skill: try db.memberWindows.resolve(row: metric.row).name)
        case .bossKC:
            return .bossKC(boss: try db.memberWindows.resolve(row: metric.row).name)
        case .xpGained, .levelsGained, .clues:
            return metric
        }
    }
}
