import Domain
import Foundation
import Storage

/// The clan's records (`MetricRecords`): each member's best day, week and month of a metric, computed from the stored
/// snapshots. A computed set is kept in this process until the clan's data changes (a member snapshotted, joining or
/// leaving), which a cheap check over the members' accounts notices, so a warm read is one small query.
/// An actor: the in-process memo of computed records is mutable state shared by every caller.
public actor RecordsService {
    public let store: Store
    private let clock: @Sendable () -> Date
    /// Bounded: at most 16 metrics' records and 10,000 records in all (a 300-member clan's metric holds 900).
    private var memo = BoundedMemo<String, Held>(maxEntries: 16, maxRows: 10_000)

    private struct Held: Sendable {
        let fingerprint: Fingerprint
        let records: MetricRecords
    }

    public init(store: Store, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    /// What changes when records may change: the members and their latest snapshots.
    struct Fingerprint: Hashable, Sendable {
        var members: Int
        var accountSum: Int64
        var lastSnapshotAt: Int64
        var lastUpdatedAt: Int64
    }

    /// The records of `metric` in the clan (every period kind), computed or from this process's copy.
    public func records(clanID: Int64, metric: LeaderboardMetric) async throws -> MetricRecords {
        let (fingerprint, canonical, zone) = try await store.read { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            return (try Self.fingerprint(db, clanID: clanID), try LeaderboardService.canonical(metric, db), clan.timeZone)
        }
        // Periods are the clan's calendar days: a new time zone is a new set of records.
        let key = "\(clanID)|\(zone)|\(canonical.cacheKey)"
        if let held = memo.value(for: key), held.fingerprint == fingerprint { return held.records }
        let records = try await compute(clanID: clanID, metric: canonical)
        memo.remember(Held(fingerprint: fingerprint, records: records), for: key, rows: records.byPeriod.values.reduce(0) { $0 + $1.count })
        return records
    }

    /// Computes the records from the snapshots, without this process's copy.
    public func compute(clanID: Int64, metric: LeaderboardMetric) async throws -> MetricRecords {
        let now = clock()
        let (clan, members) = try await store.read { db in
            let clan = try db.clans.get(id: clanID)
            do {
                return (clan, try db.metricHistory.fetch(clanID: clanID, row: metric.row))
            } catch is UnknownMetricRow where metric.row == .skill("Overall") {
                return (clan, [])  // nothing snapshotted yet
            }
        }
        return MetricRecords.build(metric: metric, timeZone: clan.zone, generatedAt: now, members: members)
    }

    /// Forgets this process's copies.
    public func forgetMemo() { memo.forgetAll() }

    static func fingerprint(_ db: Database, clanID: Int64) throws -> Fingerprint {
        try db.queryFirst("""
            SELECT count(*), COALESCE(sum(a.id), 0), COALESCE(max(a.last_snapshot_at), 0), COALESCE(max(a.updated_at), 0)
            FROM clan_members m JOIN accounts a ON a.id = m.account_id
            WHERE m.clan_id = ? AND m.is_active = 1
            """, [clanID]) { row in
            Fingerprint(members: try row.int(0), accountSum: try row.int64(1), lastSnapshotAt: try row.int64(2), lastUpdatedAt: try row.int64(3))
        } ?? Fingerprint(members: 0, accountSum: 0, lastSnapshotAt: 0, lastUpdatedAt: 0)
    }
}
