import Domain
import Foundation
import Services
import Storage
import TestSupport

/// The leaderboard and stats figures on both engines, over the same data: 500 members with 35 daily snapshots
/// each, stored once in a SQLite file and once in a fresh PostgreSQL database of the throwaway cluster (the
/// year-long dataset of `leaderboard` and `stats` would take too long to load into PostgreSQL row by row).
let backendsBenchmark = Benchmark(name: "backends", summary: "leaderboard and stats for 500 members over 30 days, SQLite beside PostgreSQL") {
    guard TestDatabaseBackend.isPostgresAvailable else {
        print("   skipped: CLANBOT_TEST_POSTGRES_URL is not set (bash deploy/dev bench starts a throwaway PostgreSQL when one is installed)")
        return
    }
    let directory = try TemporaryDirectory("bench-backends")
    let postgres = try TemporaryPostgresDatabase()
    for (engine, location) in [("SQLite", directory.path()), ("PostgreSQL", postgres.url)] {
        let filled = try await BenchClanDataset.fill(path: location, guildID: "1", members: 500, days: 35)
        report("\(engine): store 500 × 35 snapshots", filled.ingestSeconds, "s")
        try await measureReads(engine: engine, location: location, clanID: filled.clanID, now: filled.now)
    }
}

/// Cold (cache emptied, a new service) and warm (cached in the process; cached row read back) figures.
private func measureReads(engine: String, location: String, clanID: Int64, now: Date) async throws {
    let store = try await Store(path: location)
    let metrics: [(String, LeaderboardMetric)] = [("xp", .xpGained), ("Attack", .skillXP(skill: "Attack")), ("Zulrah", .bossKC(boss: "Zulrah"))]
    for (name, metric) in metrics {
        let cold = try await samples(9) {
            try await store.write { db in try db.aggregateCache.invalidate(clanID: clanID) }
            _ = try await LeaderboardService(store: store, clock: { now }).leaderboard(clanID: clanID, metric: metric, timeframe: .last30Days)
        }
        let decoded = try await samples(20) {
            _ = try await LeaderboardService(store: store, clock: { now }).leaderboard(clanID: clanID, metric: metric, timeframe: .last30Days)
        }
        report("\(engine): leaderboard \(name), cold", median(cold), "ms", target: "< 50 ms")
        report("\(engine): leaderboard \(name), cached row", median(decoded), "ms", target: "< 1 ms")
    }
    let cold = try await samples(7) {
        try await store.write { db in try db.aggregateCache.invalidate(clanID: clanID) }
        _ = try await StatsService(store: store, clock: { now }).stats(clanID: clanID, timeframe: .last30Days)
    }
    let decoded = try await samples(20) {
        _ = try await StatsService(store: store, clock: { now }).stats(clanID: clanID, timeframe: .last30Days)
    }
    let service = StatsService(store: store, clock: { now })
    _ = try await service.stats(clanID: clanID, timeframe: .last30Days)
    let warm = try await samples(200) { _ = try await service.stats(clanID: clanID, timeframe: .last30Days) }
    report("\(engine): stats 30 days, cold", median(cold), "ms")
    report("\(engine): stats, cached row", median(decoded), "ms")
    report("\(engine): stats, cached in this process", median(warm) * 1000, "µs", target: "< 1 ms")
    try await store.close()
}
