import Domain
import Foundation
import Services
import Storage

/// Runs `body` `times` times and returns each wall-clock time in milliseconds.
func samples(_ times: Int, _ body: () async throws -> Void) async rethrows -> [Double] {
    var result: [Double] = []
    for _ in 0..<times { result.append(try await measureAsyncMilliseconds(body)) }
    return result
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted[sorted.count / 2]
}

/// The clan report over the last 30 days of the 500-member dataset: computed with nothing cached
/// (cold), then served from the cache (warm), in this process and through the database.
let statsBenchmark = Benchmark(name: "stats", summary: "clan stats for 500 members over 30 days, cold and warm cache") {
    let data = try await BenchClanDataset.shared.dataset()
    let now = data.now
    let clanID = data.clanID

    // Cold: a fresh connection, nothing cached; the report is computed, encoded and stored.
    let store = try await Store(path: data.path)
    let first = try await measureAsyncMilliseconds {
        _ = try await StatsService(store: store, clock: { now }).stats(clanID: clanID, timeframe: .last30Days)
    }
    let cold = try await samples(7) {
        try await store.write { db in try db.aggregateCache.invalidate(clanID: clanID) }
        _ = try await StatsService(store: store, clock: { now }).stats(clanID: clanID, timeframe: .last30Days)
    }
    let window = Timeframe.last30Days.window(at: now, timeZone: TimeZone(identifier: "Europe/London") ?? .gmt)
    var members: [MemberWindow] = []
    let query = try await samples(7) {
        members = try await store.read { db in try db.memberWindows.fetch(clanID: clanID, window: window, rows: .all) }
    }
    let aggregate = await samples(7) {
        _ = ClanStats.build(timeframe: "30d", window: window, generatedAt: now, members: members)
    }
    let computeOnly = try await samples(7) {
        _ = try await StatsService(store: store, clock: { now }).compute(clanID: clanID, timeframe: .last30Days, window: window, now: now)
    }
    let service = StatsService(store: store, clock: { now })
    let stats = try await service.stats(clanID: clanID, timeframe: .last30Days)
    let warm = try await samples(200) { _ = try await service.stats(clanID: clanID, timeframe: .last30Days) }
    let fromDatabase = try await samples(20) {
        _ = try await StatsService(store: store, clock: { now }).stats(clanID: clanID, timeframe: .last30Days)
    }

    report("members measured / in clan", Double(stats.membersWithData), "of \(stats.memberCount)")
    report("cold, first query on a new connection", first, "ms")
    report("cold (cache empty), median of 7", median(cold), "ms")
    report("  of which the SQL (bounds + all rows)", median(query), "ms")
    report("  of which the aggregation in Swift", median(aggregate), "ms")
    report("compute only (SQL + aggregation, no cache)", median(computeOnly), "ms")
    report("warm, cached in this process, median", median(warm) * 1000, "µs", target: "< 1 ms")
    report("warm, cached row decoded from the database", median(fromDatabase), "ms")
    try await store.close()
}
