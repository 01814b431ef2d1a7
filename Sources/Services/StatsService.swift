import Domain
import Foundation
import Storage

/// A clan's aggregate report over a timeframe, through the `clan_stats` cache (same rules as
/// `LeaderboardService`: fresh for `freshFor`, dropped when a batch of the clan finishes).
/// An actor: the in-process memo of decoded reports is mutable state shared by every caller.
public actor StatsService {
    public let store: Store
    private let freshFor: TimeInterval
    private let clock: @Sendable () -> Date
    private var memo = AggregateMemo<ClanStats>()

    public init(store: Store, freshFor: TimeInterval = 600, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.freshFor = freshFor
        self.clock = clock
    }

    /// The report for `timeframe`: cached when a current one exists, else computed and cached.
    public func stats(clanID: Int64, timeframe: Timeframe) async throws -> ClanStats {
        // Whole milliseconds, as stored: a cached copy then equals the one computed.
        let now = Date(epochMilliseconds: clock().epochMilliseconds)
        let notBefore = now.addingTimeInterval(-freshFor)
        let (window, entry) = try await store.read { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            let window = timeframe.window(at: now, timeZone: clan.zone)
            let entry = try db.aggregateCache.find(clanID: clanID, kind: .stats, timeframe: timeframe, window: window, notBefore: notBefore)
            return (window, entry)
        }
        let key = "\(clanID)|\(timeframe.key)|\(window.start.epochMilliseconds)|\(window.end.epochMilliseconds)"
        if let entry {
            if let held = memo.value(for: key, matching: entry) { return held }
            if let payload = try await store.read({ db in try db.aggregateCache.payload(kind: .stats, id: entry.id) }),
               let cached = try? AggregateCoding.decode(ClanStats.self, from: payload) {
                memo.remember(cached, rows: Self.rows(of: cached), for: key, entry: entry)
                return cached
            }
        }
        let stats = try await compute(clanID: clanID, timeframe: timeframe, window: window, now: now)
        let payload = try AggregateCoding.encode(stats)
        let stored = try await store.write { db in
            try db.aggregateCache.store(clanID: clanID, kind: .stats, timeframe: timeframe, window: window,
                                            generatedAt: now, payload: payload)
        }
        memo.remember(stats, rows: Self.rows(of: stats), for: key, entry: stored)
        return stats
    }

    /// Computes the report from the snapshots, without reading or writing the cache.
    public func compute(clanID: Int64, timeframe: Timeframe, window: TimeWindow, now: Date) async throws -> ClanStats {
        let members = try await store.read { db in
            try db.memberWindows.fetch(clanID: clanID, window: window, rows: .all)
        }
        return ClanStats.build(timeframe: timeframe.key, window: window, generatedAt: now, members: members)
    }

    public func forgetMemo() { memo.forget() }

    /// A report's size for the memo's bound: its lines.
    static func rows(of stats: ClanStats) -> Int {
        stats.skills.count + stats.bosses.count + stats.clues.count + stats.otherActivities.count + stats.topPerformers.count
            + stats.slackers.count + stats.partialBaselines.count + stats.rollbacks.count
    }
}
